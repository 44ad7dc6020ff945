import { useQuery } from '@tanstack/react-query';
import type { Rule } from 'antd/es/form';
import { useTranslation } from 'react-i18next';
import type { EntryRuleEntity, EntryRulesDto } from '../../common/schemas/entry-rules';
import { api } from '../api/client';

export const ENTRY_RULES_KEY = ['entry-rules'] as const;

export const fetchEntryRules = () => api.get<EntryRulesDto>('/entry-rules');

/**
 * The company's required standard fields (CUS-13) for one entity's form,
 * fetched once per session: `required(field, rules)` gives a Form.Item its
 * mark and adds a required rule to its own; the server checks the same on save.
 */
export function useEntryRules(entity: EntryRuleEntity) {
  const { t } = useTranslation();
  const { data } = useQuery({ queryKey: ENTRY_RULES_KEY, queryFn: fetchEntryRules, staleTime: Infinity });
  const fields = new Set<string>(data?.[entity] ?? []);
  return (field: string, rules: Rule[] = []): { required: boolean; rules: Rule[] } =>
    fields.has(field) ? { required: true, rules: [{ required: true, message: t('validation.required') }, ...rules] } : { required: false, rules };
}
