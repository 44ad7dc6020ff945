import type { CustomFieldDto, CustomFieldEntity } from '../../../common/schemas/custom-fields.js';
import { EXPORTED_CUSTOM_FIELD_TYPES } from '../../../common/schemas/exchange.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { Cell } from '../../platform/exchange/cell.js';
import type { ExportColumn } from '../../platform/exchange/export.js';
import { listFields } from './custom-fields.service.js';

/** How a stored value reads in a spreadsheet: choices by their labels, numbers and amounts as numbers. */
function cellOf(field: CustomFieldDto, value: unknown): Cell {
  if (value === null || value === undefined) return null;
  const label = (v: unknown) => field.options.find((o) => o.value === v)?.label ?? String(v);
  switch (field.type) {
    case 'number':
      return value as number;
    case 'money':
      // a spreadsheet holds numbers as doubles anyway: past 15 digits it rounds, as it would when typed in
      return Number(value);
    case 'select':
      return label(value);
    case 'multiselect':
      return (value as unknown[]).map(label).join('、');
    default:
      return String(value);
  }
}

/** The standard columns, then those of the entity's enabled custom fields (by key), for any entity whose rows carry `custom`. */
export async function withCustomColumns<Row extends { custom: Record<string, unknown> }>(
  actor: Actor,
  entity: CustomFieldEntity,
  standard: ExportColumn<Row>[],
): Promise<ExportColumn<Row>[]> {
  const custom = (await listFields(actor, entity))
    .filter((f) => f.enabled && EXPORTED_CUSTOM_FIELD_TYPES.includes(f.type))
    .map((f) => ({ key: f.key, header: { 'zh-CN': f.label, en: f.label }, value: (row: Row) => cellOf(f, row.custom[f.key]) }));
  return [...standard, ...custom];
}
