import { Descriptions, Empty, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PoolDto, PoolRuleKind } from '../../api/types';
import { useDictionaries } from '../../components/dictionaries';

/** A pool's limits, recycling rules and members, read only. */
export function PoolRules({ pool }: { pool: PoolDto }) {
  const { t } = useTranslation();
  const dict = useDictionaries();
  const limit = (v: number | null, key: 'count' | 'days' | 'perDay') => (v === null ? t('pool.noLimit') : t(`pool.units.${key}`, { count: v }));
  return (
    <div className="pool-rules" data-testid="pool-rules">
      <Typography.Title level={5}>{t('pool.limits')}</Typography.Title>
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, sm: 2, lg: 3 }}
        items={[
          { key: 'maxOwned', label: t('pool.fields.maxOwned'), children: limit(pool.maxOwned, 'count') },
          { key: 'maxClaimsPerDay', label: t('pool.fields.maxClaimsPerDay'), children: limit(pool.maxClaimsPerDay, 'perDay') },
          { key: 'reclaimDelayDays', label: t('pool.fields.reclaimDelayDays'), children: limit(pool.reclaimDelayDays, 'days') },
          { key: 'reminderDays', label: t('pool.fields.reminderDays'), children: limit(pool.reminderDays, 'days') },
          { key: 'protectionLimit', label: t('pool.fields.protectionLimit'), children: limit(pool.protectionLimit, 'count') },
          { key: 'protectionDays', label: t('pool.fields.protectionDays'), children: limit(pool.protectionDays, 'days') },
        ]}
      />
      <Typography.Title level={5} className="section-title">
        {t('pool.rules')}
      </Typography.Title>
      {pool.rules.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('pool.noRules')} />
      ) : (
        <Table
          size="small"
          rowKey={(r) => `${r.kind}-${r.levelCode ?? ''}`}
          pagination={false}
          dataSource={pool.rules}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: t('pool.ruleKind'), dataIndex: 'kind', render: (k: PoolRuleKind) => t(`pool.ruleKinds.${k}`) },
            { title: t('customers.level'), dataIndex: 'levelCode', render: (v: string | null) => (v ? dict.label('customer_level', v) : t('pool.allLevels')) },
            { title: t('pool.ruleDays'), dataIndex: 'days', render: (d: number) => t('pool.units.days', { count: d }) },
          ]}
        />
      )}
      <Typography.Title level={5} className="section-title">
        {t('pool.members')}
      </Typography.Title>
      <div className="tag-cell">
        {pool.members.map((m) => (
          <Tag key={`${m.type}-${m.id}`} color={m.isAdmin ? 'gold' : undefined} bordered={false}>
            {m.type === 'department' ? t('pool.memberDepartment', { name: m.name }) : m.name}
            {m.isAdmin ? ` · ${t('pool.admin')}` : ''}
          </Tag>
        ))}
      </div>
    </div>
  );
}
