import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { CustomFieldCreate, CustomFieldDto, CustomFieldEntity, CustomFieldUpdate } from '../../../common/schemas/custom-fields.js';
import type { Actor } from '../../platform/auth/actor.js';
import { recordChange } from '../../platform/audit/audit.service.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import * as repo from './custom-fields.repo.js';

const toDto = (f: repo.CustomFieldRow): CustomFieldDto => ({
  id: f.id, entity: f.entity_type, key: f.key, label: f.label, type: f.type, options: f.options, required: f.required, enabled: f.enabled, sort: f.sort,
});

export const listFields = (actor: Actor, entity?: CustomFieldEntity) =>
  actor.tx(async (q) => (await repo.fieldsOf(q, actor.tenantId, entity)).map(toDto));

const needsOptions = (type: string) => type === 'select' || type === 'multiselect';

export function createField(actor: Actor, input: z.output<typeof CustomFieldCreate>) {
  return actor.tx(async (q) => {
    if (needsOptions(input.type) && !input.options.length) throw new AppError('VALIDATION_FAILED', {}, [{ path: 'options', message: 'required' }]);
    const existing = await repo.fieldsOf(q, actor.tenantId, input.entity);
    // a key that never changes, whatever the label becomes
    const key = `cf_${randomBytes(4).toString('hex')}`;
    const id = await repo.insertField(q, actor.tenantId, { ...input, key, sort: input.sort ?? (existing.length + 1) * 10 });
    await recordChange(q, actor, { entity: 'custom_field', recordId: id, recordName: input.label, action: 'create', changes: [{ field: 'definition', before: null, after: input }] });
    return toDto((await repo.fieldsOf(q, actor.tenantId, input.entity)).find((f) => f.id === id)!);
  });
}

export function updateField(actor: Actor, id: number, input: z.output<typeof CustomFieldUpdate>) {
  return actor.tx(async (q) => {
    const before = (await repo.fieldsOf(q, actor.tenantId)).find((f) => f.id === id);
    if (!before) throw notFound();
    const after = {
      label: input.label ?? before.label,
      options: input.options ?? before.options,
      required: input.required ?? before.required,
      enabled: input.enabled ?? before.enabled,
      sort: input.sort ?? before.sort,
    };
    if (needsOptions(before.type) && !after.options.length) throw new AppError('VALIDATION_FAILED', {}, [{ path: 'options', message: 'required' }]);
    await repo.updateField(q, actor.tenantId, id, after);
    await recordChange(q, actor, { entity: 'custom_field', recordId: id, recordName: after.label, action: 'update', changes: [{ field: 'definition', before: toDto(before), after }] });
    return toDto((await repo.fieldsOf(q, actor.tenantId)).find((f) => f.id === id)!);
  });
}
