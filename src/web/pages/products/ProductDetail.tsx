import { DeleteOutlined, EditOutlined, SwapOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Empty, Form, Input, Popconfirm, Radio, Space, Table, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { formatMoney } from '../../../common/money';
import { type PriceBookDto, type ProductDto, StockAdjustBody, type StockMovementDto } from '../../../common/schemas/products';
import { api } from '../../api/client';
import { useSession } from '../../app/session';
import { useFieldAccess, withoutHidden } from '../../components/fieldAccess';
import { Attachments } from '../../components/Attachments';
import { useDictionaries } from '../../components/dictionaries';
import { useSchemaForm, useShowError } from '../../components/form';
import { formatTime } from '../../components/format';
import { FormModal } from '../../components/FormModal';
import { OperationTimeline } from '../../components/OperationTimeline';
import { PageContainer } from '../../components/PageContainer';
import { BackToList, recordFallback, useRecordHistory } from '../../components/recordPage';
import { ProductFormModal } from './ProductForm';
import { LowStockTag, PRODUCTS_KEY, ShelfTag } from './products';

const TABS = ['profile', 'priceBooks', 'stock', 'files', 'history'] as const;
type TabKey = (typeof TABS)[number];
type Detail = ProductDto & { allowed: { edit: boolean; stock: boolean } };

function AdjustModal({ product, onClose }: { product: Detail; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { form, field, submit, submitting } = useSchemaForm(StockAdjustBody);
  const send = async (v: unknown) => {
    await api.post(`/products/${product.id}/stock-movements`, v);
    await queryClient.invalidateQueries({ queryKey: [PRODUCTS_KEY] });
    message.success(t('products.adjusted'));
  };
  return (
    <FormModal form={form} submitting={submitting} onClose={onClose} title={t('products.adjustTitle', { name: product.name })}>
      <Form form={form} name="stock" layout="vertical" initialValues={{ direction: 'in' }} onFinish={submit(send, onClose)} data-testid="stock-form">
        <Form.Item {...field('direction')} label={t('products.direction')}>
          <Radio.Group optionType="button" options={(['in', 'out'] as const).map((d) => ({ value: d, label: t(`products.directions.${d}`) }))} />
        </Form.Item>
        <Form.Item {...field('quantity')} label={`${t('products.quantity')}（${product.unit}）`}>
          <Input inputMode="decimal" />
        </Form.Item>
        <Form.Item {...field('reason')} label={t('products.reason')}>
          <Input maxLength={200} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

/** One product: profile, the price books that list it, its stock ledger, files and history. */
export default function ProductDetail() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useSession();
  const showError = useShowError();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const dict = useDictionaries();
  const id = Number(useParams().id);
  const [params, setParams] = useSearchParams();
  const [dialog, setDialog] = useState<'edit' | 'adjust' | null>(null);
  const access = useFieldAccess('product');
  // the stock ledger's balances are the stock: no tab for whom the stock is hidden
  const tabs = TABS.filter((k) => k !== 'stock' || !access.hidden('stock'));
  const requested = params.get('tab') as TabKey | null;
  const tab: TabKey = requested && tabs.includes(requested) ? requested : 'profile';

  const detail = useQuery({ queryKey: [PRODUCTS_KEY, 'detail', id], queryFn: () => api.get<Detail>(`/products/${id}`) });
  const books = useQuery({
    queryKey: [PRODUCTS_KEY, 'price-books', id],
    queryFn: () => api.get<{ items: PriceBookDto[] }>('/price-books', { productId: id }).then((r) => r.items),
    enabled: tab === 'priceBooks',
  });
  const movements = useQuery({
    queryKey: [PRODUCTS_KEY, 'stock', id],
    queryFn: () => api.get<{ items: StockMovementDto[] }>(`/products/${id}/stock-movements`).then((r) => r.items),
    enabled: tab === 'stock',
  });
  const history = useRecordHistory([PRODUCTS_KEY, 'history', id], `/products/${id}`, tab === 'history');

  const back = <BackToList to="/products" label={t('products.backToList')} />;
  const fallback = recordFallback(detail, back);
  if (fallback || !detail.data) return fallback;
  const p = detail.data;

  const remove = async () => {
    try {
      await api.delete(`/products/${id}`);
      await queryClient.invalidateQueries({ queryKey: [PRODUCTS_KEY] });
      message.success(t('common.deleted'));
      navigate('/products');
    } catch (err) {
      showError(err);
    }
  };
  const setTab = (key: string) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        next.set('tab', key);
        return next;
      },
      { replace: true },
    );
  const qty = (v: string) => `${Number(v)} ${p.unit}`;

  const panels: Record<TabKey, React.ReactNode> = {
    profile: (
      <Descriptions
        column={{ xs: 1, sm: 2, lg: 3 }}
        data-testid="product-detail"
        items={withoutHidden(access, [
          { key: 'code', label: t('products.code'), children: p.code },
          { key: 'category', label: t('products.category'), children: p.categoryName ?? '-' },
          { key: 'unit', label: t('products.unit'), children: p.unit },
          { key: 'price', label: t('products.price'), children: formatMoney(p.price, p.currency) },
          { key: 'cost', label: t('products.cost'), children: p.cost ? formatMoney(p.cost, p.currency) : '-' },
          { key: 'currency', label: t('products.currency'), children: p.currency },
          { key: 'lowStockThreshold', label: t('products.lowStockThreshold'), children: p.lowStockThreshold ? qty(p.lowStockThreshold) : '-' },
          { key: 'createdAt', label: t('common.createdAt'), children: formatTime(p.createdAt) },
          { key: 'updatedAt', label: t('common.updatedAt'), children: formatTime(p.updatedAt) },
          { key: 'description', label: t('products.description'), span: 'filled', children: <Typography.Paragraph className="pre-wrap">{p.description ?? '-'}</Typography.Paragraph> },
        ])}
      />
    ),
    priceBooks: (
      <Table<PriceBookDto>
        rowKey="id"
        size="small"
        loading={books.isPending}
        dataSource={books.data}
        pagination={false}
        locale={{ emptyText: <Empty description={t('products.noPriceBooks')} /> }}
        columns={[
          { title: t('products.pricing.bookName'), dataIndex: 'name' },
          { title: t('products.pricing.level'), dataIndex: 'levelCode', render: (v: string | null) => (v ? dict.label('customer_level', v) : t('products.pricing.allLevels')) },
          { title: t('products.pricing.price'), key: 'price', align: 'right', render: (_, b) => formatMoney(b.items[0]?.price ?? '0', b.currency) },
          { title: t('products.pricing.validity'), key: 'validity', render: (_, b) => (b.validFrom || b.validTo ? `${b.validFrom ?? '…'} ~ ${b.validTo ?? '…'}` : t('products.pricing.always')) },
        ]}
      />
    ),
    stock: (
      <Space direction="vertical" style={{ width: '100%' }}>
        {p.allowed.stock && (
          <Button icon={<SwapOutlined />} onClick={() => setDialog('adjust')} data-testid="stock-adjust">
            {t('products.adjust')}
          </Button>
        )}
        <Table<StockMovementDto>
          rowKey="id"
          size="small"
          loading={movements.isPending}
          dataSource={movements.data}
          pagination={false}
          columns={[
            { title: t('products.at'), dataIndex: 'createdAt', render: formatTime },
            { title: t('products.direction'), dataIndex: 'direction', render: (d: 'in' | 'out') => t(`products.directions.${d}`) },
            { title: t('products.quantity'), dataIndex: 'quantity', align: 'right', render: qty },
            { title: t('products.balance'), dataIndex: 'balance', align: 'right', render: qty },
            { title: t('products.reason'), dataIndex: 'reason' },
            { title: t('products.by'), dataIndex: 'createdByName', render: (v: string | null) => v ?? '-' },
          ]}
        />
      </Space>
    ),
    files: <Attachments entityType="product" entityId={id} writable={p.allowed.edit} />,
    history: <OperationTimeline items={history.data} loading={history.isPending} error={history.error} />,
  };

  return (
    <PageContainer
      title={
        <Space size={8} wrap>
          <span>{p.name}</span>
          <ShelfTag onShelf={p.onShelf} />
          {p.lowStock && <LowStockTag />}
        </Space>
      }
      subTitle={`${t('products.detailTitle')} · ${p.code}${access.hidden('stock') ? '' : ` · ${t('products.stock')} ${qty(p.stock)}`}`}
      extra={
        <>
          {back}
          {p.allowed.edit && (
            <Button icon={<EditOutlined />} onClick={() => setDialog('edit')} data-testid="product-edit">
              {t('common.edit')}
            </Button>
          )}
          {can('product.manage') && (
            <Popconfirm
              title={t('products.deleteConfirm', { name: p.name })}
              okText={t('common.delete')}
              cancelText={t('common.cancel')}
              okButtonProps={{ danger: true }}
              onConfirm={remove}
            >
              <Button danger icon={<DeleteOutlined />}>
                {t('common.delete')}
              </Button>
            </Popconfirm>
          )}
        </>
      }
    >
      <Card className="page-card">
        <Tabs activeKey={tab} onChange={setTab} items={tabs.map((key) => ({ key, label: t(`products.tabs.${key}`), children: panels[key] }))} />
      </Card>
      {dialog === 'edit' && <ProductFormModal product={p} onClose={() => setDialog(null)} />}
      {dialog === 'adjust' && <AdjustModal product={p} onClose={() => setDialog(null)} />}
    </PageContainer>
  );
}
