import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Skeleton, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ENTRY_RULE_ENTITIES, type EntryRulesDto, REQUIRABLE_FIELDS } from '../../../common/schemas/entry-rules';
import { api } from '../../api/client';
import { useAction } from '../../components/actions';
import { ENTRY_RULES_KEY, fetchEntryRules } from '../../components/entryRules';
import { PageContainer } from '../../components/PageContainer';

/** Entry rules (CUS-13): which standard fields of customers, contacts and leads must be filled in. */
export default function EntryRules() {
  const { t } = useTranslation();
  const { running, run } = useAction();
  const queryClient = useQueryClient();
  const rules = useQuery({ queryKey: ENTRY_RULES_KEY, queryFn: fetchEntryRules });
  const [chosen, setChosen] = useState<EntryRulesDto | null>(null);
  useEffect(() => setChosen(rules.data ?? null), [rules.data]);

  const save = () =>
    run('save', async () => queryClient.setQueryData(ENTRY_RULES_KEY, await api.put<EntryRulesDto>('/entry-rules', chosen)), t('common.saved'));

  return (
    <PageContainer
      title={t('entryRules.title')}
      subTitle={t('entryRules.subtitle')}
      extra={
        <Button type="primary" loading={running === 'save'} disabled={!chosen} onClick={() => void save()} data-testid="entry-rules-save">
          {t('common.save')}
        </Button>
      }
    >
      {rules.error && <Alert type="error" showIcon message={rules.error.message} />}
      {!chosen ? (
        <Skeleton active />
      ) : (
        ENTRY_RULE_ENTITIES.map((entity) => (
          <Card key={entity} className="page-card" title={t(`entryRules.entities.${entity}`)}>
            <Checkbox.Group
              value={chosen[entity]}
              onChange={(fields) => setChosen((c) => c && { ...c, [entity]: fields })}
              options={REQUIRABLE_FIELDS[entity].map((f) => ({ value: f, label: t(`entryRules.fields.${f}`) }))}
              data-testid={`entry-rules-${entity}`}
            />
          </Card>
        ))
      )}
      <Typography.Paragraph type="secondary">{t('entryRules.help')}</Typography.Paragraph>
    </PageContainer>
  );
}
