import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type {
  LeadAssignBody,
  LeadConvertBody,
  LeadCreate,
  LeadDto,
  LeadListQuery,
  LeadRulesBody,
  LeadStatus,
  LeadStatusBody,
  LeadUpdate,
  WebFormInput,
} from '../../../common/schemas/leads.js';
import { WebFormSubmission } from '../../../common/schemas/leads.js';
import type { Database, Queryable } from '../../db/database.js';
import { keysetPage } from '../../db/keyset.js';
import { resolveScope } from '../../platform/access/scope.js';
import type { Actor } from '../../platform/auth/actor.js';
import { diffChanges, recordChange, recordHistory } from '../../platform/audit/audit.service.js';
import { insertAudit } from '../../platform/audit/audit.repo.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { nextNumber } from '../../platform/numbering/numbering.js';
import { pinyinValues } from '../../platform/search/text-match.js';
import { copyTo as copyAttachments } from '../attachments/attachments.repo.js';
import { createContactIn } from '../contacts/contacts.service.js';
import { prepareCustomValues, withCustomSql } from '../custom-fields/custom-values.js';
import { assertWritable, maskHidden } from '../../platform/access/field-access.js';
import { createCustomerIn, visibleCustomer } from '../customers/customers.service.js';
import { assertCodes } from '../dictionaries/dictionaries.service.js';
import { isActiveUser } from '../org/users.repo.js';
import { enforceRequired } from '../entry-rules/entry-rules.service.js';
import * as rules from './lead-rules.repo.js';
import * as repo from './leads.repo.js';

const ENTITY = 'lead';

const iso = (d: Date | null) => d?.toISOString() ?? null;
const toDto = (l: repo.LeadRow): LeadDto => ({
  id: l.id,
  code: l.code,
  name: l.name,
  company: l.company,
  title: l.title,
  mobile: l.mobile,
  phone: l.phone,
  email: l.email,
  wechat: l.wechat,
  sourceCode: l.source_code,
  industryCode: l.industry_code,
  provinceCode: l.province_code,
  cityCode: l.city_code,
  districtCode: l.district_code,
  address: l.address,
  remark: l.remark,
  custom: l.custom,
  status: l.status,
  invalidReason: l.invalid_reason,
  score: l.score,
  ownerId: l.owner_id,
  ownerName: l.owner_name,
  convertedCustomerId: l.converted_customer_id,
  convertedContactId: l.converted_contact_id,
  lastFollowupAt: iso(l.last_followup_at),
  nextFollowupAt: iso(l.next_followup_at),
  createdAt: l.created_at.toISOString(),
  updatedAt: l.updated_at.toISOString(),
});
/** The lead as this actor may see it (ORG-6: hidden fields emptied). */
const shown = <T extends LeadDto>(actor: Actor, dto: T): T => maskHidden(actor, ENTITY, dto);
const shownDto = (actor: Actor, l: repo.LeadRow) => shown(actor, toDto(l));


/** Assigners (lead.transfer) also see and manage the leads nobody owns yet. */
const seesUnassigned = (actor: Actor) => actor.can('lead.transfer');

export function listLeads(actor: Actor, query: LeadListQuery) {
  return actor.tx((q) => leadPage(q, actor, query));
}

/** A page of the list within a transaction (the export reads each page in its own). */
export async function leadPage(q: Queryable, actor: Actor, query: LeadListQuery & Pick<repo.LeadFilters, 'ids'>) {
  const scope = await resolveScope(q, actor, ENTITY);
  const page = keysetPage(await repo.listLeads(q, scope, actor.userId, seesUnassigned(actor), await withCustomSql(q, actor, ENTITY, 'l', query)), query.limit);
  return { items: page.items.map((l) => shownDto(actor, l)), nextCursor: page.nextCursor };
}

export function countLeads(actor: Actor, query: LeadListQuery) {
  return actor.tx(async (q) => ({
    total: await repo.countLeads(q, await resolveScope(q, actor, ENTITY), actor.userId, seesUnassigned(actor), await withCustomSql(q, actor, ENTITY, 'l', query)),
  }));
}

export async function visibleLead(q: Queryable, actor: Actor, id: number, forUpdate = false) {
  const l = await repo.getLead(q, await resolveScope(q, actor, ENTITY), seesUnassigned(actor), id, forUpdate);
  if (!l) throw notFound();
  return l;
}

async function writableLead(q: Queryable, actor: Actor, id: number) {
  const l = await visibleLead(q, actor, id, true);
  if (!l.can_write) throw new AppError('RECORD_READ_ONLY');
  return l;
}

export function getLead(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    const l = await visibleLead(q, actor, id);
    const open = l.status !== 'converted';
    return shown(actor, {
      ...toDto(l),
      allowed: {
        edit: open && l.can_write && actor.can('lead.edit'),
        convert: open && l.status !== 'invalid' && l.can_write && actor.can('lead.convert'),
        assign: open && l.can_own && actor.can('lead.transfer'),
        delete: l.can_own && actor.can('lead.delete'),
      },
    });
  });
}

/** Points from the company's score rules (LEA-5) for a lead's fields and follow-ups. */
async function scoreOf(q: Queryable, tenantId: number, lead: Record<string, unknown>, followups: number): Promise<number> {
  let score = 0;
  for (const r of await rules.scoreRules(q, tenantId)) {
    if (r.field === 'followups') score += r.points * followups;
    else if (r.field === 'mobile' || r.field === 'email' || r.field === 'company') score += lead[r.field] ? r.points : 0;
    else {
      const key = { source_code: 'sourceCode', industry_code: 'industryCode', province_code: 'provinceCode' }[r.field];
      if (lead[key] != null && (r.value === null || lead[key] === r.value)) score += r.points;
    }
  }
  return score;
}

/** The owner the assignment rules (LEA-3) give a new lead; null when no rule applies. */
async function ruleOwner(q: Queryable, tenantId: number, lead: { sourceCode?: string | null; industryCode?: string | null; provinceCode?: string | null }) {
  for (const r of await rules.assignmentRules(q, tenantId)) {
    if (!r.enabled) continue;
    if (r.source_code && r.source_code !== lead.sourceCode) continue;
    if (r.industry_code && r.industry_code !== lead.industryCode) continue;
    if (r.province_code && r.province_code !== lead.provinceCode) continue;
    const owner = r.method === 'round_robin' ? await rules.nextInTurn(q, tenantId, r.id) : await rules.leastLoaded(q, tenantId, r.user_ids);
    if (owner !== null) return owner;
  }
  return null;
}

async function checkCodes(q: Queryable, tenantId: number, l: { sourceCode?: string | null; industryCode?: string | null }) {
  await assertCodes(q, tenantId, [
    { path: 'sourceCode', kind: 'customer_source', code: l.sourceCode },
    { path: 'industryCode', kind: 'industry', code: l.industryCode },
  ]);
}

type LeadFields = Omit<z.output<typeof LeadCreate>, 'ownerId' | 'custom'> & { custom?: Record<string, unknown> };

/** Inserts a lead with its number, score and owner; `createdBy` null for the web form. */
async function insertLead(q: Queryable, tenantId: number, input: LeadFields, ownerId: number | null, createdBy: number | null, formId: number | null) {
  const score = await scoreOf(q, tenantId, input, 0);
  const code = await nextNumber(q, tenantId, ENTITY);
  return repo.insertLead(q, tenantId, { ...input, ...pinyinValues(input.name), code, ownerId, createdBy, formId, score });
}

export function createLead(actor: Actor, input: z.output<typeof LeadCreate>) {
  return actor.tx(async (q) => shownDto(actor, (await visibleLead(q, actor, await createLeadIn(q, actor, input)))!));
}

/** Creates a lead inside the caller's transaction (also used by imports); returns its id. */
export async function createLeadIn(q: Queryable, actor: Actor, input: z.output<typeof LeadCreate>): Promise<number> {
  const { ownerId: requested, custom: customInput, ...fields } = input;
  await enforceRequired(q, actor.tenantId, ENTITY, fields, 'create');
  assertWritable(actor, ENTITY, input, null);
  const custom = await prepareCustomValues(q, actor.tenantId, ENTITY, null, customInput);
  if (requested !== undefined && requested !== actor.userId && !actor.can('lead.transfer')) throw new AppError('FORBIDDEN', { permission: 'lead.transfer' });
  if (requested && !(await isActiveUser(q, actor.tenantId, requested))) throw new AppError('INVALID_REFERENCE', { field: 'ownerId' }, [{ path: 'ownerId', message: 'invalid' }]);
  await checkCodes(q, actor.tenantId, fields);
  // not given: the rules decide, else the creator keeps it
  const ownerId = requested === undefined ? ((await ruleOwner(q, actor.tenantId, fields)) ?? actor.userId) : requested;
  const id = await insertLead(q, actor.tenantId, { ...fields, custom: custom.values }, ownerId, actor.userId, null);
  await custom.store(id);
  await recordChange(q, actor, {
    entity: ENTITY, recordId: id, recordName: input.name, action: 'create',
    changes: [...diffChanges(null, { ...fields, ownerId }, [...repo.LEAD_FIELDS.fields, 'ownerId']), ...custom.changes],
  });
  return id;
}

const WEB_FORM_FIELDS = Object.keys(WebFormSubmission.shape);

/** A lead from the public web form (LEA-1): no sign-in; honeypot and fill-time checks against bots. */
export async function submitWebForm(db: Database, token: string, input: z.output<typeof WebFormSubmission>, meta: { ip: string | null; userAgent: string | null }, now = Date.now()) {
  const form = await db.system((q) => rules.formByToken(q, token));
  if (!form?.enabled) throw notFound();
  // a filled honeypot or a form sent within two seconds of showing: a bot; answer as if accepted
  if (input.website || now - input.startedAt < 2_000) return { received: true };
  const { website: _w, startedAt: _s, ...fields } = input;
  await db.tenant({ tenantId: form.tenant_id }, async (q) => {
    // the form enforces only the required fields it asks for: a visitor cannot fill in the rest
    await enforceRequired(q, form.tenant_id, ENTITY, fields, 'create', WEB_FORM_FIELDS);
    const lead: LeadFields = { ...fields, sourceCode: form.source_code };
    const ownerId = await ruleOwner(q, form.tenant_id, lead);
    const id = await insertLead(q, form.tenant_id, lead, ownerId, null, form.id);
    await insertAudit(q, {
      tenantId: form.tenant_id, actorId: null, actorName: `web form: ${form.name}`, ip: meta.ip, userAgent: meta.userAgent,
      entity: ENTITY, recordId: id, recordName: fields.name, action: 'create', changes: diffChanges(null, { ...lead, ownerId }, [...repo.LEAD_FIELDS.fields, 'ownerId']),
    });
  });
  return { received: true };
}

export function updateLead(actor: Actor, id: number, input: LeadUpdate) {
  return actor.tx(async (q) => {
    const before = await writableLead(q, actor, id);
    if (before.status === 'converted') throw new AppError('RECORD_READ_ONLY');
    await enforceRequired(q, actor.tenantId, ENTITY, input, 'update');
    assertWritable(actor, ENTITY, input, { ...repo.LEAD_FIELDS.fromRow(before), custom: before.custom });
    await checkCodes(q, actor.tenantId, input);
    const { custom: customInput, ...fieldsInput } = input;
    const old = repo.LEAD_FIELDS.fromRow(before);
    const after = { ...old, ...Object.fromEntries(Object.entries(fieldsInput).filter(([, v]) => v !== undefined)) };
    const custom = await prepareCustomValues(q, actor.tenantId, ENTITY, before.custom, customInput);
    const changes = [...diffChanges(old, after, repo.LEAD_FIELDS.fields), ...custom.changes];
    if (changes.length) {
      const changed: repo.LeadValues = Object.fromEntries(
        changes.filter((c) => !c.field.startsWith('custom.')).map((c) => [c.field, fieldsInput[c.field as keyof typeof fieldsInput]]),
      );
      if (custom.changes.length) {
        changed.custom = custom.values;
        await custom.store(id);
      }
      const score = await scoreOf(q, actor.tenantId, after, await repo.followupCount(q, actor.tenantId, id));
      await repo.updateLead(q, actor.tenantId, id, { ...changed, ...(input.name ? pinyinValues(input.name) : {}), score });
      await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: after.name as string, action: 'update', changes });
    }
    return shownDto(actor, (await visibleLead(q, actor, id))!);
  });
}

/** Status changes other than conversion: new ⇄ qualifying, either → invalid (with a reason), invalid → new. */
const NEXT: Record<LeadStatus, LeadStatus[]> = { new: ['qualifying', 'invalid'], qualifying: ['new', 'invalid'], invalid: ['new'], converted: [] };

export function setLeadStatus(actor: Actor, id: number, input: z.output<typeof LeadStatusBody>) {
  return actor.tx(async (q) => {
    const l = await writableLead(q, actor, id);
    if (!NEXT[l.status].includes(input.status)) throw new AppError('VALIDATION_FAILED', {}, [{ path: 'status', message: 'notAllowedTransition' }]);
    if (input.status === 'invalid' && !input.reason) throw new AppError('VALIDATION_FAILED', {}, [{ path: 'reason', message: 'required' }]);
    await repo.setStatus(q, actor.tenantId, id, input.status, input.status === 'invalid' ? input.reason! : null);
    await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: l.name, action: 'status', changes: [{ field: 'status', before: l.status, after: input.status }] });
    return shownDto(actor, (await visibleLead(q, actor, id))!);
  });
}

/** Assigns or transfers leads (bulk) to a user. */
export function assignLeads(actor: Actor, input: z.output<typeof LeadAssignBody>) {
  return actor.tx(async (q) => {
    if (!(await isActiveUser(q, actor.tenantId, input.ownerId))) throw new AppError('INVALID_REFERENCE', { field: 'ownerId' }, [{ path: 'ownerId', message: 'invalid' }]);
    const leads = [];
    for (const id of [...new Set(input.leadIds)].sort((a, b) => a - b)) {
      const l = await visibleLead(q, actor, id, true);
      if (!l.can_own || l.status === 'converted') throw new AppError('RECORD_READ_ONLY');
      leads.push(l);
    }
    await repo.setOwners(q, actor.tenantId, leads.map((l) => l.id), input.ownerId);
    for (const l of leads) {
      await recordChange(q, actor, { entity: ENTITY, recordId: l.id, recordName: l.name, action: l.owner_id === null ? 'assign' : 'transfer', changes: [{ field: 'ownerId', before: l.owner_id, after: input.ownerId }] });
    }
    return { assigned: leads.length };
  });
}

/** Errors of the new customer's or contact's custom values name the conversion's field they came from. */
const customErrorsUnder = (prefix: string) => (e: unknown): never => {
  if (!(e instanceof AppError)) throw e;
  throw new AppError(e.code, e.params, e.fields.map((f) => (f.path.startsWith('custom.') ? { ...f, path: `${prefix}.${f.path.slice('custom.'.length)}` } : f)));
};

/**
 * Converts a lead (LEA-4) into a customer (new, or one that exists) and a contact,
 * in one transaction; the lead's follow-ups then show on the customer and contact.
 */
export function convertLead(actor: Actor, id: number, input: z.output<typeof LeadConvertBody>) {
  return actor.tx(async (q) => {
    const l = await writableLead(q, actor, id);
    if (l.status === 'converted' || l.status === 'invalid') throw new AppError('VALIDATION_FAILED', {}, [{ path: 'status', message: 'notAllowedTransition' }]);
    const ownerId = l.owner_id ?? actor.userId;
    const customerId = input.customerId
      ? (await visibleCustomer(q, actor, input.customerId)).id
      : await createCustomerIn(q, actor, {
          name: input.customerName ?? l.company ?? l.name,
          ownerId,
          sourceCode: l.source_code,
          industryCode: l.industry_code,
          provinceCode: l.province_code,
          cityCode: l.city_code,
          districtCode: l.district_code,
          phone: l.phone,
          email: l.company ? undefined : l.email,
          remark: l.remark,
          custom: input.customerCustom,
        }, 'convert').catch(customErrorsUnder('customerCustom'));
    const contactId = input.createContact
      ? await createContactIn(q, actor, { customerId, name: l.name, title: l.title, mobile: l.mobile, phone: l.phone, email: l.email, wechat: l.wechat, custom: input.contactCustom }).catch(customErrorsUnder('contactCustom'))
      : null;
    await repo.markConverted(q, actor.tenantId, id, customerId, contactId);
    await copyAttachments(q, actor.tenantId, { entity: 'lead', id }, { entity: 'customer', id: customerId });
    await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: l.name, action: 'convert', changes: [{ field: 'customerId', before: null, after: customerId }, { field: 'contactId', before: null, after: contactId }] });
    return { customerId, contactId };
  });
}

export function deleteLead(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    const l = await visibleLead(q, actor, id, true);
    if (!l.can_own) throw new AppError('RECORD_READ_ONLY');
    await repo.softDelete(q, actor.tenantId, id, actor.userId);
    await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: l.name, action: 'delete' });
  });
}

export function getRules(actor: Actor) {
  return actor.tx(async (q) => ({
    assignment: (await rules.assignmentRules(q, actor.tenantId)).map((r) => ({
      name: r.name, priority: r.priority, enabled: r.enabled, sourceCode: r.source_code, industryCode: r.industry_code, provinceCode: r.province_code, method: r.method, userIds: r.user_ids,
    })),
    scoring: await rules.scoreRules(q, actor.tenantId),
  }));
}

export function setRules(actor: Actor, input: z.output<typeof LeadRulesBody>) {
  return actor.tx(async (q) => {
    await rules.replaceRules(q, actor.tenantId, input.assignment, input.scoring);
    await recordChange(q, actor, { entity: 'lead_rules', recordId: null, action: 'update', changes: [{ field: 'rules', before: null, after: input }] });
  }).then(() => getRules(actor));
}

export function listForms(actor: Actor) {
  return actor.tx(async (q) => (await rules.forms(q, actor.tenantId)).map((f) => ({ id: f.id, token: f.token, name: f.name, sourceCode: f.source_code, enabled: f.enabled })));
}

/** The operation log of one lead (its conversion included). */
export function leadHistory(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    await visibleLead(q, actor, id);
    return recordHistory(q, actor, ENTITY, id);
  });
}

/** Renames a form, changes its source or switches it off (a disabled form refuses submissions). */
export function updateForm(actor: Actor, id: number, input: z.output<typeof WebFormInput>) {
  return actor.tx(async (q) => {
    await checkCodes(q, actor.tenantId, input);
    if (!(await rules.updateForm(q, actor.tenantId, id, input))) throw notFound();
    await recordChange(q, actor, { entity: 'lead_form', recordId: id, recordName: input.name, action: 'update', changes: [{ field: 'enabled', before: null, after: input.enabled }] });
  }).then(() => listForms(actor));
}

export function createForm(actor: Actor, input: z.output<typeof WebFormInput>) {
  return actor.tx(async (q) => {
    await checkCodes(q, actor.tenantId, input);
    await rules.insertForm(q, actor.tenantId, { token: randomBytes(16).toString('base64url'), ...input });
    await recordChange(q, actor, { entity: 'lead_form', recordId: null, recordName: input.name, action: 'create' });
  }).then(() => listForms(actor));
}
