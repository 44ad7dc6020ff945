import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Radio, Skeleton, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DUPLICATE_FIELDS, DUPLICATE_MODES } from '../../../common/schemas/duplicates';
import { api } from '../../api/client';
import type { DuplicateEntity, DuplicateField, DuplicateMode, DuplicateRule } from '../../api/types';
import { useAction } from '../../components/actions';
import { PageContainer } from '../../components/PageContainer';

export const DUPLICATE_RULES_KEY = ['duplicate-rules'] as const;

const ENTITIES = Object.keys(DUPLICATE_FIELDS) as DuplicateEntity[];
const ruleKey = (entity: DuplicateEntity, field: DuplicateField) => `${entity}.${field}`;
/** Customer names are unique by definition: always refused. */
const FIXED = new Set([ruleKey('customer', 'name')]);

/** Per entity and field: no check, a warning, or refusal of a duplicate. */
export default function DuplicateRules() {
  const { t } = useTranslation();
  const { running, run } = useAction();
  const queryClient = useQueryClient();
  const rules = useQuery({ queryKey: DUPLICATE_RULES_KEY, queryFn: () => api.get<{ items: DuplicateRule[] }>('/duplicate-rules').then((r) => r.items) });
  const [modes, setModes] = useState<Record<string, DuplicateMode>>({});

  useEffect(() => {
    if (!rules.data) return;
    const next: Record<string, DuplicateMode> = {};
    for (const e of ENTITIES) for (const f of DUPLICATE_FIELDS[e]) next[ruleKey(e, f)] = FIXED.has(ruleKey(e, f)) ? 'refuse' : 'off';
    for (const r of rules.data) next[ruleKey(r.entity, r.field)] = r.mode;
    setModes(next);
  }, [rules.data]);

  const save = () =>
    run(
      'save',
      async () => {
        const body = ENTITIES.flatMap((entity) => DUPLICATE_FIELDS[entity].map((field) => ({ entity, field, mode: modes[ruleKey(entity, field)] ?? 'off' })));
        await api.put('/duplicate-rules', { rules: body });
        await queryClient.invalidateQueries({ queryKey: DUPLICATE_RULES_KEY });
      },
      t('common.saved'),
    );

  return (
    <PageContainer
      title={t('menu.duplicateRules')}
      subTitle={t('duplicates.subtitle')}
      extra={
        <Button type="primary" loading={running === 'save'} disabled={!rules.data} onClick={() => void save()} data-testid="duplicate-rules-save">
          {t('common.save')}
        </Button>
      }
    >
      {rules.error && <Alert type="error" showIcon message={rules.error.message} />}
      {rules.isPending ? (
        <Skeleton active />
      ) : (
        ENTITIES.map((entity) => (
          <Card key={entity} className="page-card" title={t(`duplicates.entities.${entity}`)}>
            <Table<{ field: DuplicateField }>
              rowKey="field"
              size="middle"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={DUPLICATE_FIELDS[entity].map((field) => ({ field }))}
              columns={[
                { title: t('duplicates.field'), dataIndex: 'field', render: (f: DuplicateField) => t(`duplicates.fields.${f}`) },
                {
                  title: t('duplicates.mode'),
                  key: 'mode',
                  render: (_: unknown, { field }) => {
                    const k = ruleKey(entity, field);
                    return (
                      <div>
                        <Radio.Group
                          value={modes[k] ?? 'off'}
                          disabled={FIXED.has(k)}
                          onChange={(e) => setModes((m) => ({ ...m, [k]: e.target.value as DuplicateMode }))}
                          options={DUPLICATE_MODES.map((mode) => ({ value: mode, label: t(`duplicates.modes.${mode}`) }))}
                          aria-label={t(`duplicates.fields.${field}`)}
                        />
                        {FIXED.has(k) && (
                          <div>
                            <Typography.Text type="secondary">{t('duplicates.nameFixed')}</Typography.Text>
                          </div>
                        )}
                      </div>
                    );
                  },
                },
              ]}
            />
          </Card>
        ))
      )}
      <Typography.Paragraph type="secondary">{t('duplicates.help')}</Typography.Paragraph>
    </PageContainer>
  );
}
