import type { DictionaryKind } from '../../../common/schemas/dictionaries.js';
import type { Queryable } from '../../db/database.js';
import { ChoiceLookup } from '../../platform/exchange/import.js';
import { listItems } from './dictionaries.repo.js';

/**
 * A company's enabled dictionary items as a file may name them (imports): by
 * label or code; an industry also as '制造业 / 汽车制造', the way exports write it.
 */
export async function dictionaryChoices(q: Queryable, tenantId: number): Promise<(kind: DictionaryKind) => ChoiceLookup> {
  const rows = await listItems(q, tenantId);
  const labelOf = new Map(rows.map((r) => [`${r.kind}:${r.code}`, r.label]));
  const lookups = new Map<DictionaryKind, ChoiceLookup>();
  return (kind) => {
    let lookup = lookups.get(kind);
    if (!lookup) {
      const items = rows.filter((r) => r.kind === kind && r.enabled);
      lookup = new ChoiceLookup(items.map((r) => r.label));
      for (const r of items) {
        const parent = r.parent_code ? labelOf.get(`${kind}:${r.parent_code}`) : undefined;
        // 'A（重点）' is also written 'A'
        const short = r.label.replace(/[（(][^）)]*[）)]/g, '');
        lookup.add(r.code, r.label, r.code, ...(short ? [short] : []), ...(parent ? [`${parent}/${r.label}`] : []));
      }
      lookups.set(kind, lookup);
    }
    return lookup;
  };
}
