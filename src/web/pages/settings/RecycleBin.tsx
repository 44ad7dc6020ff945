import { DeleteOutlined, UndoOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Popconfirm, Space, Tabs, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { BIN_ENTITIES } from '../../../common/schemas/recycle-bin';
import { api } from '../../api/client';
import type { BinEntity, BinItem, Page } from '../../api/types';
import { useShowError } from '../../components/form';
import { formatTime } from '../../components/format';
import { ListPage } from '../../components/ListPage';
import { PageContainer } from '../../components/PageContainer';

/** The lists whose cached pages a restore or erase changes. */
const LIST_KEY: Record<BinEntity, string> = { customer: 'customers', contact: 'contacts', lead: 'leads', product: 'products', opportunity: 'opportunities' };
const ERASE_HELP = {
  customer: 'recycleBin.eraseCustomerHelp',
  contact: 'recycleBin.eraseContactHelp',
  lead: 'recycleBin.eraseOtherHelp',
  product: 'recycleBin.eraseOtherHelp',
  opportunity: 'recycleBin.eraseOtherHelp',
} as const satisfies Record<BinEntity, string>;

function BinList({ entity }: { entity: BinEntity }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const queryClient = useQueryClient();
  const key = `recycle-${entity}`;

  const act = async (item: BinItem, erase: boolean) => {
    try {
      if (erase) await api.delete(`/recycle-bin/${entity}/${item.id}`);
      else await api.post(`/recycle-bin/${entity}/${item.id}/restore`, {});
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: [key] }),
        queryClient.invalidateQueries({ queryKey: [LIST_KEY[entity]] }),
      ]);
      message.success(t(erase ? 'recycleBin.erased' : 'recycleBin.restored', { name: item.name }));
    } catch (err) {
      // restoring re-checks the duplicate rules: the server names the record in the way
      showError(err);
    }
  };

  const columns = useMemo<ColumnsType<BinItem>>(
    () => [
      { title: t('recycleBin.name'), dataIndex: 'name', key: 'name' },
      { title: t('customers.code'), dataIndex: 'code', key: 'code', render: (v: string) => <Typography.Text type="secondary">{v}</Typography.Text> },
      {
        title: t(`recycleBin.detail.${entity}`),
        dataIndex: 'detail',
        key: 'detail',
        render: (v: string | null) => v ?? '-',
      },
      { title: t('recycleBin.deletedAt'), dataIndex: 'deletedAt', key: 'deletedAt', render: formatTime },
      { title: t('recycleBin.deletedBy'), dataIndex: 'deletedByName', key: 'deletedBy', render: (v: string | null) => v ?? '-' },
      {
        title: t('common.actions'),
        key: 'actions',
        render: (_: unknown, item) => (
          <Space size={0}>
            <Popconfirm
              title={t('recycleBin.restoreConfirm', { name: item.name })}
              okText={t('recycleBin.restore')}
              cancelText={t('common.cancel')}
              onConfirm={() => act(item, false)}
            >
              <Button type="link" size="small" icon={<UndoOutlined />} data-testid="bin-restore">
                {t('recycleBin.restore')}
              </Button>
            </Popconfirm>
            <Popconfirm
              title={t('recycleBin.eraseConfirm', { name: item.name })}
              description={t(ERASE_HELP[entity])}
              okText={t('recycleBin.erase')}
              cancelText={t('common.cancel')}
              okButtonProps={{ danger: true }}
              onConfirm={() => act(item, true)}
            >
              <Button type="link" size="small" danger icon={<DeleteOutlined />} data-testid="bin-erase">
                {t('recycleBin.erase')}
              </Button>
            </Popconfirm>
          </Space>
        ),
      },
    ],
    [t, entity],
  );

  return (
    <ListPage<BinItem>
      testId={`recycle-bin-${entity}`}
      queryKey={key}
      fetchPage={(p) => api.get<Page<BinItem>>('/recycle-bin', { ...p, entity })}
      columns={columns}
      rowKey="id"
    />
  );
}

/** Deleted customers, contacts, leads, products and opportunities: restore them or erase them (and what hangs on them) for good. */
export default function RecycleBin() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const asked = params.get('entity');
  const entity: BinEntity = BIN_ENTITIES.find((e) => e === asked) ?? 'customer';
  return (
    <PageContainer title={t('menu.recycleBin')} subTitle={t('recycleBin.subtitle')}>
      <Card className="page-card">
        <Tabs
          activeKey={entity}
          onChange={(k) => setParams({ entity: k }, { replace: true })}
          items={BIN_ENTITIES.map((e) => ({ key: e, label: t(`recycleBin.entities.${e}`), children: <BinList entity={e} /> }))}
        />
      </Card>
    </PageContainer>
  );
}
