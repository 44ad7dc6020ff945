import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { PointsRankingDto } from '../../../common/schemas/customer-value';
import { api } from '../../api/client';
import { PageContainer } from '../../components/PageContainer';

const TOP = 100;

/** 积分排行 (CUS-18): the customers with the most points among those the user may see. */
export default function PointsRanking() {
  const { t } = useTranslation();
  const ranking = useQuery({
    queryKey: ['customers', 'points-ranking'],
    queryFn: () => api.get<{ items: PointsRankingDto[] }>('/customers/points-ranking', { limit: TOP }).then((r) => r.items),
  });
  return (
    <PageContainer title={t('menu.pointsRanking')} subTitle={t('customerValue.rankingSubtitle', { count: TOP })}>
      {ranking.error && <Alert type="error" showIcon message={ranking.error.message} />}
      <Card className="page-card">
        <Table<PointsRankingDto>
          rowKey="id"
          data-testid="points-ranking"
          loading={ranking.isPending}
          dataSource={ranking.data}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('customerValue.rankingEmpty') }}
          columns={[
            { title: t('customerValue.rank'), dataIndex: 'rank', width: 80 },
            { title: t('customers.name'), dataIndex: 'name', render: (name: string, r) => <Link to={`/customers/${r.id}`}>{name}</Link> },
            { title: t('customers.code'), dataIndex: 'code', render: (v: string) => <Typography.Text type="secondary">{v}</Typography.Text> },
            { title: t('customerValue.balance'), dataIndex: 'points' },
            { title: t('customers.owner'), dataIndex: 'ownerName', render: (v: string | null) => v ?? '-' },
          ]}
        />
      </Card>
    </PageContainer>
  );
}
