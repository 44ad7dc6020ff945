/**
 * Opportunities from a file (CUS-16), e.g. a pipeline kept in a spreadsheet
 * before the CRM: each row names its customer by name, code or credit code
 * (never an internal id), among the customers the importing user can see, and
 * is created by the opportunity service's own create function, so numbering,
 * the owner rule, the stage history, the company-currency amount and the
 * change log behave as in the form. An opportunity is the same as an existing
 * one when its customer already has one of that name.
 */
import type { z } from 'zod';
import type { OpportunityCreate, OpportunityUpdate } from '../../../common/schemas/opportunities.js';
import { ChoiceLookup, type ImportDefinition, type ImportField, inputBefore, problemText } from '../../platform/exchange/import.js';
import { choiceInto, dateInto, moneyInto, textInto } from '../../platform/exchange/import-fields.js';
import { createImported } from '../../platform/exchange/imported.repo.js';
import { currencyImportField } from '../currencies/currency-choices.js';
import { customerReference, type NamesCustomer } from '../customers/customer-reference.js';
import { dictionaryChoices } from '../dictionaries/dictionary-choices.js';
import { ownerImportField, userLookup } from '../org/user-lookup.js';
import { OPPORTUNITY_UNUSED, opportunitiesByCustomerAndName } from './opportunities.repo.js';
import { createOpportunityIn, updateOpportunityIn } from './opportunities.service.js';
import { listPipelines, listStages } from './pipelines.repo.js';

const ENTITY = 'opportunity';

type Input = z.output<typeof OpportunityCreate>;
/** The opportunity as the form would send it, its customer and stage still as the file names them. */
type Row = Omit<Input, 'customerId'> & NamesCustomer & { stage?: string };

/** What an update from a file may change: the card's fields; the customer, stage and owner have their own actions. */
const UPDATABLE: ReadonlySet<string> = new Set<keyof z.output<typeof OpportunityUpdate>>(['name', 'amount', 'currency', 'expectedCloseDate', 'sourceCode', 'description']);

const inputOf = ({ customer: _c, stage: _s, customerId, ...row }: Row): Input => ({ ...row, customerId: customerId! });
const nameKey = (name: string) => name.toLowerCase();

export const opportunityImport: ImportDefinition<Row> = {
  entity: ENTITY,
  permission: 'opportunity.import',
  title: { 'zh-CN': '商机', en: 'Opportunities' },

  async prepare(q, actor, locale, options) {
    const l = (cn: string, en: string) => (locale === 'zh-CN' ? cn : en);
    const dict = await dictionaryChoices(q, actor.tenantId);
    const findUser = await userLookup(q, actor.tenantId);
    const customer = await customerReference<Row>(q, actor, locale);
    // as in the form: enabled pipelines, and their open enabled stages in order
    const pipelines = (await listPipelines(q, actor.tenantId)).filter((p) => p.enabled);
    const stages = (await listStages(q, actor.tenantId, pipelines.map((p) => p.id))).filter((s) => s.kind === 'open' && s.enabled);
    const pipelineChoices = new ChoiceLookup(pipelines.map((p) => p.name));
    for (const p of pipelines) pipelineChoices.add(String(p.id), p.name);
    const stagesOf = new Map(
      pipelines.map((p) => {
        const lookup = new ChoiceLookup([]);
        for (const s of stages) if (s.pipeline_id === p.id) lookup.add(String(s.id), s.name);
        return [p.id, lookup] as const;
      }),
    );
    const defaultPipeline = pipelines.find((p) => p.is_default);
    const stageLabel = l('销售阶段', 'Stage');

    const fields: ImportField<Row>[] = [
      customer.field,
      { key: 'name', label: l('商机名称', 'Opportunity'), aliases: ['商机', '名称', '项目名称', '机会名称', 'opportunity', 'name'], required: true, apply: textInto(100, (row, t) => (row.name = t)) },
      { key: 'amount', label: l('商机金额', 'Amount'), aliases: ['金额', '预计金额', '预计成交金额', 'amount'], hint: '50000.00', apply: moneyInto((row, v) => (row.amount = v)) },
      await currencyImportField<Row>(q, actor.tenantId, l('币种', 'Currency'), (row, code) => (row.currency = code)),
      { key: 'expectedCloseDate', label: l('预计成交日期', 'Expected close'), aliases: ['成交日期', '预计成交', '预计签单日期', 'close date', 'expected close date'], hint: '2026-12-31', apply: dateInto((row, v) => (row.expectedCloseDate = v)) },
      { key: 'pipeline', label: l('销售流程', 'Pipeline'), aliases: ['流程', 'pipeline'], options: pipelineChoices.labels, hint: l('空：默认流程', 'empty: the default pipeline'), apply: choiceInto(pipelineChoices, (row, id) => (row.pipelineId = Number(id))) },
      { key: 'stage', label: stageLabel, aliases: ['阶段', '商机阶段', 'stage'], options: [...new Set(stages.map((s) => s.name))], hint: l('空：流程的第一个阶段', 'empty: the pipeline’s first stage'), apply: textInto(30, (row, t) => (row.stage = t)) },
      { key: 'sourceCode', label: l('商机来源', 'Source'), aliases: ['来源', 'source'], options: dict('customer_source').labels, apply: choiceInto(dict('customer_source'), (row, v) => (row.sourceCode = v)) },
      { key: 'description', label: l('备注', 'Remarks'), aliases: ['描述', '说明', '商机描述', 'remark', 'notes', 'description'], apply: textInto(4000, (row, t) => (row.description = t)) },
      ownerImportField<Row>(actor, findUser, { transfer: 'opportunity.transfer', label: l('负责人', 'Owner'), hint: l('姓名、邮箱或手机号；空：导入人', 'name, e-mail or mobile; empty: you') }, (row, id) => (row.ownerId = id)),
    ];

    return {
      fields,
      newRow: () => ({ name: '', customer: '', ...(options.ownerId ? { ownerId: options.ownerId } : {}) }),

      // a stage is one of its pipeline's (the file's, else the default one)
      finish(row) {
        if (row.stage === undefined) return [];
        const stageId = stagesOf.get(row.pipelineId ?? defaultPipeline?.id ?? 0)?.get(row.stage);
        if (stageId === undefined) return [problemText(locale, stageLabel, 'unknown_option')];
        row.stageId = Number(stageId);
        return [];
      },

      resolve: customer.resolve,
      // customers are found before the rows are compared: two rows for one customer with one name are one opportunity
      identities: (row) => [`${row.customerId}:${nameKey(row.name)}`],

      async duplicates(q, rows) {
        const found = await opportunitiesByCustomerAndName(q, actor.tenantId, rows.map((r) => ({ customerId: r.customerId!, name: r.name })));
        const byKey = new Map(found.map((o) => [`${o.customer_id}:${nameKey(o.name)}`, o]));
        const rule = l('同一客户的商机名称', 'Name for the same customer');
        // whether the user may change the opportunity (its data scope) is checked when it is updated
        return rows.map((row) => {
          const o = byKey.get(`${row.customerId}:${nameKey(row.name)}`);
          return o && { id: o.id, name: o.name, rule, refuse: false, writable: actor.can('opportunity.edit') };
        });
      },

      insert: (q, rows, jobId) => createImported(q, ENTITY, actor.tenantId, jobId, rows, (row) => createOpportunityIn(q, actor, inputOf(row))),

      async update(q, items) {
        for (const { id, row, fields } of items) {
          const input = inputOf(row);
          await updateOpportunityIn(q, actor, id, Object.fromEntries(Object.entries(input).filter(([k]) => fields.has(k) && UPDATABLE.has(k))));
        }
      },
    };
  },

  // an opportunity a quote or contract was made from stays
  untouched: OPPORTUNITY_UNUSED,
  restore: (q, actor, id, changes) => updateOpportunityIn(q, actor, id, inputBefore(changes, [...UPDATABLE])),
};
