import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Table } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { OpportunityDto } from '../../../common/schemas/opportunities';
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import { useSession } from '../../app/session';
import { OpportunityFormModal } from './OpportunityForm';
import { opportunityColumns } from './OpportunityList';

/** The customer 360 page's tab: the customer's opportunities the user can see, and a button for a new one. */
export function CustomerOpportunities({ customerId }: { customerId: number }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const list = useQuery({
    queryKey: ['opportunities', 'of-customer', customerId],
    queryFn: () => api.get<Page<OpportunityDto>>('/opportunities', { customerId, limit: 200 }).then((p) => p.items),
    enabled: can('opportunity.view'),
  });
  const columns = useMemo(() => opportunityColumns(t).filter((c) => c.key !== 'customer'), [t]);
  return (
    <>
      {can('opportunity.create') && (
        <Button type="primary" icon={<PlusOutlined />} style={{ marginBottom: 12 }} onClick={() => setCreating(true)} data-testid="customer-opportunity-create">
          {t('opportunities.create')}
        </Button>
      )}
      <Table<OpportunityDto> size="small" rowKey="id" loading={list.isPending && can('opportunity.view')} dataSource={list.data ?? []} columns={columns} pagination={false} scroll={{ x: 'max-content' }} data-testid="customer-opportunities" />
      {creating && <OpportunityFormModal customerId={customerId} onClose={() => setCreating(false)} onSaved={(o) => navigate(`/opportunities/${o.id}`)} />}
    </>
  );
}
