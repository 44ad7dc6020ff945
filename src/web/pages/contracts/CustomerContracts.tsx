import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { ContractDto, ReceivableDto } from '../../../common/schemas/contracts';
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import { useSession } from '../../app/session';
import { ContractFormModal } from './ContractForm';
import { contractColumns } from './ContractList';
import { receivableColumns } from './ReceivableList';

/**
 * The customer 360 page's tab: the customer's contracts the user can see (with
 * paid and outstanding), a button for a new one, and the receivables recorded
 * against them (instalment plans are on each contract).
 */
export function CustomerContracts({ customerId }: { customerId: number }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const list = useQuery({
    queryKey: ['contracts', 'of-customer', customerId],
    queryFn: () => api.get<Page<ContractDto>>('/contracts', { customerId, limit: 200 }).then((p) => p.items),
  });
  const receivables = useQuery({
    queryKey: ['receivables', 'of-customer', customerId],
    queryFn: () => api.get<Page<ReceivableDto>>('/receivables', { customerId, limit: 200 }).then((p) => p.items),
    enabled: can('receivable.view'),
  });
  const columns = useMemo(() => contractColumns(t).filter((c) => c.key !== 'customer' && c.key !== 'updatedAt'), [t]);
  const receivedColumns = useMemo(() => receivableColumns(t).filter((c) => c.key !== 'customer'), [t]);
  return (
    <>
      {can('contract.create') && (
        <Button type="primary" icon={<PlusOutlined />} style={{ marginBottom: 12 }} onClick={() => setCreating(true)} data-testid="customer-contract-create">
          {t('contracts.create')}
        </Button>
      )}
      <Table<ContractDto> size="small" rowKey="id" loading={list.isPending} dataSource={list.data ?? []} columns={columns} pagination={false} scroll={{ x: 'max-content' }} data-testid="customer-contracts" />
      {can('receivable.view') && (
        <>
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            {t('contracts.receivablesMenu')}
          </Typography.Title>
          <Table<ReceivableDto> size="small" rowKey="id" loading={receivables.isPending} dataSource={receivables.data ?? []} columns={receivedColumns} pagination={false} scroll={{ x: 'max-content' }} data-testid="customer-receivables" />
        </>
      )}
      {creating && <ContractFormModal customerId={customerId} onClose={() => setCreating(false)} onSaved={(c) => navigate(`/contracts/${c.id}`)} />}
    </>
  );
}
