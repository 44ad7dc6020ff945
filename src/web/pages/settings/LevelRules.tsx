import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, InputNumber, Space, Switch, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useState } from 'react';
import { LevelRuleInput, type LevelRuleDto } from '../../../common/schemas/customer-value';
import { api } from '../../api/client';
import { useAction } from '../../components/actions';
import { DeleteButton } from '../../components/DeleteButton';
import { DictSelect, useDictionaries } from '../../components/dictionaries';
import { useSchemaForm } from '../../components/form';
import { FormModal } from '../../components/FormModal';
import { PageContainer } from '../../components/PageContainer';

const LEVEL_RULES_KEY = ['customer-level-rules'] as const;

function RuleModal({ rule, onClose }: { rule: LevelRuleDto | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { form, field, submit, submitting } = useSchemaForm(LevelRuleInput);
  const send = async (v: LevelRuleInput) => {
    if (rule) await api.put(`/customer-level-rules/${rule.id}`, v);
    else await api.post('/customer-level-rules', v);
    await queryClient.invalidateQueries({ queryKey: LEVEL_RULES_KEY });
  };
  const score = (name: 'minScore' | 'maxScore') => (
    <Form.Item {...field(name)} label={t(`levelRules.${name}`)}>
      <InputNumber min={3} max={15} precision={0} style={{ width: '100%' }} />
    </Form.Item>
  );
  const quintile = (name: 'minR' | 'minF' | 'minM') => (
    <Form.Item {...field(name)} label={t(`levelRules.${name}`)}>
      <InputNumber min={1} max={5} precision={0} style={{ width: '100%' }} />
    </Form.Item>
  );
  return (
    <FormModal form={form} submitting={submitting} onClose={onClose} title={t(rule ? 'levelRules.edit' : 'levelRules.create')}>
      <Form form={form} layout="vertical" initialValues={rule ?? { priority: 0, enabled: true }} onFinish={submit(send, onClose)}>
        <Form.Item {...field('levelCode')} label={t('customers.level')}>
          <DictSelect kind="customer_level" />
        </Form.Item>
        <Space.Compact block>
          {score('minScore')}
          {score('maxScore')}
        </Space.Compact>
        <Space.Compact block>
          {quintile('minR')}
          {quintile('minF')}
          {quintile('minM')}
        </Space.Compact>
        <Form.Item {...field('priority')} label={t('levelRules.priority')} extra={t('levelRules.priorityHelp')}>
          <InputNumber min={0} max={1000} precision={0} />
        </Form.Item>
        <Form.Item {...field('enabled')} label={t('levelRules.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

/** Rules from RFM scores to customer levels (CUS-19), applied by the nightly RFM run. */
export default function LevelRules() {
  const { t } = useTranslation();
  const { run } = useAction();
  const dict = useDictionaries();
  const queryClient = useQueryClient();
  const rules = useQuery({ queryKey: LEVEL_RULES_KEY, queryFn: () => api.get<{ items: LevelRuleDto[] }>('/customer-level-rules').then((r) => r.items) });
  const [editing, setEditing] = useState<LevelRuleDto | 'new' | null>(null);
  const range = (min: number | null, max: number | null) => (min === null && max === null ? t('levelRules.any') : `${min ?? 3} – ${max ?? 15}`);
  const atLeast = (r: LevelRuleDto) =>
    (['minR', 'minF', 'minM'] as const)
      .filter((k) => r[k] !== null)
      .map((k) => `${k.slice(3)} ≥ ${r[k]}`)
      .join('，') || t('levelRules.any');

  const remove = (id: number) =>
    run(
      `delete:${id}`,
      async () => {
        await api.delete(`/customer-level-rules/${id}`);
        await queryClient.invalidateQueries({ queryKey: LEVEL_RULES_KEY });
      },
      t('common.deleted'),
    );

  return (
    <PageContainer
      title={t('menu.levelRules')}
      subTitle={t('levelRules.subtitle')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="level-rule-create">
          {t('levelRules.create')}
        </Button>
      }
    >
      {rules.error && <Alert type="error" showIcon message={rules.error.message} />}
      <Card className="page-card">
        <Table<LevelRuleDto>
          rowKey="id"
          loading={rules.isPending}
          dataSource={rules.data}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('levelRules.empty') }}
          columns={[
            { title: t('levelRules.priority'), dataIndex: 'priority', width: 80 },
            { title: t('levelRules.score'), key: 'score', render: (_: unknown, r) => range(r.minScore, r.maxScore) },
            { title: t('levelRules.quintiles'), key: 'rfm', render: (_: unknown, r) => atLeast(r) },
            { title: t('customers.level'), dataIndex: 'levelCode', render: (v: string) => dict.label('customer_level', v) },
            {
              title: t('levelRules.enabled'),
              dataIndex: 'enabled',
              render: (on: boolean) => <Tag color={on ? 'green' : 'default'}>{t(on ? 'levelRules.on' : 'levelRules.off')}</Tag>,
            },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_: unknown, r) => (
                <Space>
                  <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(r)}>
                    {t('common.edit')}
                  </Button>
                  <DeleteButton confirm={t('levelRules.deleteConfirm')} onDelete={() => remove(r.id)} />
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {editing && <RuleModal rule={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </PageContainer>
  );
}
