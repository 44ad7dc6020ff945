import type { z } from 'zod';
import { ContactListQuery } from '../../../common/schemas/contacts.js';
import { FollowupListQuery } from '../../../common/schemas/followups.js';
import {
  ENVELOPE_BLOCKS,
  ENVELOPE_PAPERS,
  type CustomerPrintDto,
  type EnvelopeRequest,
  type EnvelopeTemplateDto,
  type EnvelopeTemplateInput,
  type EnvelopesResponse,
} from '../../../common/schemas/print.js';
import { formatRegion } from '../../../common/schemas/regions.js';
import type { Queryable } from '../../db/database.js';
import { resolveScope } from '../../platform/access/scope.js';
import type { Actor } from '../../platform/auth/actor.js';
import { recordChange } from '../../platform/audit/audit.service.js';
import { AppError, duplicateFrom, type FieldError, notFound } from '../../platform/http/errors.js';
import { resolveRegion } from '../../platform/regions/regions.js';
import { listContacts } from '../contacts/contacts.service.js';
import { getCustomer, listMembers } from '../customers/customers.service.js';
import { listFollowups } from '../followups/followups.service.js';
import * as repo from './print.repo.js';

/** How many of the latest follow-ups the customer print view shows. */
const PRINT_FOLLOWUPS = 20;

/**
 * The customer print view (CUS-17): what the 360 page shows, read through the
 * same services, so it follows the same data scope and function permissions.
 */
export async function customerPrint(actor: Actor, id: number): Promise<CustomerPrintDto> {
  const customer = await getCustomer(actor, id);
  const contacts = actor.can('contact.view') ? (await listContacts(actor, ContactListQuery.parse({ customerId: id, limit: 200 }))).items : null;
  const members = (await listMembers(actor, id)).map(({ userId, userName, kind, access }) => ({ userId, userName, kind, access }));
  const followups = (await listFollowups(actor, FollowupListQuery.parse({ entityType: 'customer', entityId: id, limit: PRINT_FOLLOWUPS }))).items;
  const companyName = await actor.tx((q) => repo.tenantName(q, actor.tenantId));
  return { companyName, printedAt: new Date().toISOString(), customer, contacts, members, followups };
}

const toTemplateDto = (t: repo.TemplateRow): EnvelopeTemplateDto => ({
  id: t.id,
  name: t.name,
  paper: t.paper,
  widthMm: t.width_mm,
  heightMm: t.height_mm,
  layout: t.layout,
  fontSize: t.font_size,
  senderCompany: t.sender_company,
  senderAddress: t.sender_address,
  senderPostcode: t.sender_postcode,
  isDefault: t.is_default,
});

export const listTemplates = (actor: Actor) => actor.tx(async (q) => (await repo.listTemplates(q, actor.tenantId)).map(toTemplateDto));

/** The paper's size (a standard one, or the given one for custom) and every block inside it. */
function checkTemplate(input: z.output<typeof EnvelopeTemplateInput>): repo.TemplateValues {
  const standard = ENVELOPE_PAPERS[input.paper];
  const fields: FieldError[] = [];
  if (!standard) {
    if (input.widthMm === undefined) fields.push({ path: 'widthMm', message: 'required' });
    if (input.heightMm === undefined) fields.push({ path: 'heightMm', message: 'required' });
  }
  const widthMm = standard?.width ?? input.widthMm ?? 0;
  const heightMm = standard?.height ?? input.heightMm ?? 0;
  if (!fields.length) {
    for (const block of ENVELOPE_BLOCKS) {
      const p = input.layout[block];
      if (p.x >= widthMm) fields.push({ path: `layout.${block}.x`, message: 'outsidePaper' });
      if (p.y >= heightMm) fields.push({ path: `layout.${block}.y`, message: 'outsidePaper' });
    }
  }
  if (fields.length) throw new AppError('VALIDATION_FAILED', {}, fields);
  return {
    name: input.name,
    paper: input.paper,
    widthMm,
    heightMm,
    layout: input.layout,
    fontSize: input.fontSize,
    senderCompany: input.senderCompany ?? null,
    senderAddress: input.senderAddress ?? null,
    senderPostcode: input.senderPostcode ?? null,
  };
}

const NAME_INDEX = { envelope_templates_name: 'name' };
const ENTITY = 'envelope_template';

async function withDuplicateName<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    throw duplicateFrom(err, NAME_INDEX) ?? err;
  }
}

export function createTemplate(actor: Actor, input: z.output<typeof EnvelopeTemplateInput>) {
  const values = checkTemplate(input);
  return withDuplicateName(
    actor.tx(async (q) => {
      const id = await repo.insertTemplate(q, actor.tenantId, values);
      await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: values.name, action: 'create' });
      return toTemplateDto((await repo.getTemplate(q, actor.tenantId, id))!);
    }),
  );
}

async function existing(q: Queryable, actor: Actor, id: number) {
  const t = await repo.getTemplate(q, actor.tenantId, id);
  if (!t) throw notFound();
  return t;
}

export function updateTemplate(actor: Actor, id: number, input: z.output<typeof EnvelopeTemplateInput>) {
  const values = checkTemplate(input);
  return withDuplicateName(
    actor.tx(async (q) => {
      await existing(q, actor, id);
      await repo.updateTemplate(q, actor.tenantId, id, values);
      await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: values.name, action: 'update' });
      return toTemplateDto((await repo.getTemplate(q, actor.tenantId, id))!);
    }),
  );
}

/** The default template stays until another one is made the default, so printing always has one. */
export function deleteTemplate(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    const t = await existing(q, actor, id);
    if (t.is_default) throw new AppError('DEFAULT_TEMPLATE');
    await repo.deleteTemplate(q, actor.tenantId, id);
    await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: t.name, action: 'delete' });
  });
}

export function setDefaultTemplate(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    const t = await existing(q, actor, id);
    await repo.setDefault(q, actor.tenantId, id);
    await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: t.name, action: 'set_default' });
    return (await repo.listTemplates(q, actor.tenantId)).map(toTemplateDto);
  });
}

/** The address on one line, as written on an envelope: 广东省深圳市南山区科技园路 1 号. */
function envelopeAddress(r: repo.EnvelopeRow): string | null {
  const region = r.province_code ? resolveRegion({ provinceCode: r.province_code, cityCode: r.city_code ?? undefined, districtCode: r.district_code ?? undefined }) : null;
  const text = formatRegion([region?.provinceName, region?.cityName, region?.districtName, r.detail], '');
  return text || null;
}

/**
 * Envelope lines for the requested customers. Ids the caller may not read are
 * dropped and only counted (an invisible and a non-existing id look the same),
 * so the answer never tells what exists outside the data scope.
 */
export function envelopes(actor: Actor, input: z.output<typeof EnvelopeRequest>): Promise<EnvelopesResponse> {
  return actor.tx(async (q) => {
    const ids = [...new Set(input.customerIds)];
    const rows = await repo.envelopeRows(q, await resolveScope(q, actor, 'customer'), ids, {
      addressTag: input.addressTag ?? null,
      contactRole: input.contactRole ?? null,
      withContacts: actor.can('contact.view'),
    });
    return {
      items: rows.map((r) => ({
        customerId: r.customer_id,
        company: r.company,
        postcode: r.postcode,
        address: envelopeAddress(r),
        contactName: r.contact_name,
        contactTitle: r.contact_title,
      })),
      skipped: ids.length - rows.length,
    };
  });
}
