import type { DictionaryKind } from '../../../common/schemas/dictionaries.js';
import type { Actor } from '../../platform/auth/actor.js';
import { listDictionaries } from './dictionaries.service.js';

export type DictionaryLabels = Awaited<ReturnType<typeof dictionaryLabels>>;

/** Dictionary codes as their labels (exports); an industry with its parent ('制造业 / 汽车制造'), as the lists show it. */
export async function dictionaryLabels(actor: Actor) {
  const dicts = await listDictionaries(actor);
  const items = new Map(Object.entries(dicts).flatMap(([kind, list]) => list.map((i) => [`${kind}:${i.code}`, i] as const)));
  const label = (kind: DictionaryKind, code: string | null) => (code === null ? null : (items.get(`${kind}:${code}`)?.label ?? code));
  const industry = (code: string | null) => {
    const parent = code === null ? null : items.get(`industry:${code}`)?.parentCode;
    return parent ? `${label('industry', parent)} / ${label('industry', code)}` : label('industry', code);
  };
  return { label, industry };
}
