import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input, Select, Space, Switch, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { formatMoney } from '../../../common/money';
import type { ProductDto } from '../../../common/schemas/products';
import { api, type QueryParams } from '../../api/client';
import type { Page } from '../../api/types';
import { useSession } from '../../app/session';
import { useAction } from '../../components/actions';
import { ExportButton, useLatestParams } from '../../components/ExportButton';
import { useFieldAccess, withoutHidden } from '../../components/fieldAccess';
import { formatTime } from '../../components/format';
import { ImportButton } from '../../components/ImportWizard';
import { ListPage } from '../../components/ListPage';
import { PageContainer } from '../../components/PageContainer';
import { ProductFormModal } from './ProductForm';
import { CategorySelect, LowStockTag, PRODUCTS_KEY, ShelfTag } from './products';

interface Filters {
  q?: string;
  categoryId?: number | null;
  onShelf?: 'true' | 'false' | null;
  lowStock?: boolean;
}

/** The catalogue: search, category (with sub-categories), shelf and low-stock filters; bulk on/off shelf. */
export default function ProductList() {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const manager = can('product.manage');
  const exporter = can('product.export');
  const listParams = useLatestParams();
  const [creating, setCreating] = useState(false);
  const [selected, setSelected] = useState<number[]>([]);
  const { running, run } = useAction(() => queryClient.invalidateQueries({ queryKey: [PRODUCTS_KEY] }));

  const access = useFieldAccess('product');
  const columns = useMemo<ColumnsType<ProductDto>>(
    () => withoutHidden(access, [
      { title: t('products.code'), dataIndex: 'code', key: 'code', render: (v: string) => <Typography.Text type="secondary">{v}</Typography.Text> },
      { title: t('products.name'), dataIndex: 'name', key: 'name', render: (name: string, p) => <Link to={`/products/${p.id}`}>{name}</Link> },
      { title: t('products.category'), dataIndex: 'categoryName', key: 'category', render: (v: string | null) => v ?? '-' },
      { title: t('products.unit'), dataIndex: 'unit', key: 'unit' },
      { title: t('products.price'), dataIndex: 'price', key: 'price', align: 'right', render: (v: string, p) => formatMoney(v, p.currency) },
      {
        title: t('products.stock'),
        dataIndex: 'stock',
        key: 'stock',
        align: 'right',
        render: (v: string, p) => (
          <Space size={4}>
            {Number(v)}
            {p.lowStock && <LowStockTag />}
          </Space>
        ),
      },
      { title: t('products.shelf'), dataIndex: 'onShelf', key: 'onShelf', render: (v: boolean) => <ShelfTag onShelf={v} /> },
      { title: t('common.updatedAt'), dataIndex: 'updatedAt', key: 'updatedAt', render: formatTime },
    ]),
    [t, access],
  );

  const filters = [
    <Form.Item name="q" key="q">
      <Input.Search allowClear placeholder={t('products.searchPlaceholder')} aria-label={t('products.searchPlaceholder')} />
    </Form.Item>,
    <Form.Item name="categoryId" key="category">
      <CategorySelect placeholder={t('products.category')} aria-label={t('products.category')} />
    </Form.Item>,
    <Form.Item name="onShelf" key="onShelf">
      <Select
        allowClear
        showSearch
        optionFilterProp="label"
        placeholder={t('products.shelf')}
        aria-label={t('products.shelf')}
        data-testid="product-shelf-filter"
        options={[
          { value: 'true', label: t('products.onShelfTag') },
          { value: 'false', label: t('products.offShelfTag') },
        ]}
      />
    </Form.Item>,
    <Form.Item name="lowStock" key="lowStock" valuePropName="checked" label={t('products.onlyLowStock')}>
      <Switch size="small" />
    </Form.Item>,
  ];

  const shelve = (onShelf: boolean) =>
    run(
      `shelf:${onShelf}`,
      async () => {
        const r = await api.post<{ changed: number }>('/products/shelf', { productIds: selected, onShelf });
        setSelected([]);
        return r;
      },
      t('products.shelfChanged', { count: selected.length }),
    );

  return (
    <PageContainer
      title={t('products.listMenu')}
      extra={
        <Space>
          {exporter && (
            <ExportButton path="/products/export" testId="product-export" params={listParams.current} columns={columns.map((c) => String(c.key))} selectedIds={selected} />
          )}
          <ImportButton entity="product" onDone={() => void queryClient.invalidateQueries({ queryKey: [PRODUCTS_KEY] })} />
          {manager && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="product-create">
              {t('products.create')}
            </Button>
          )}
        </Space>
      }
    >
      <ListPage<ProductDto, Filters>
        testId="product-list"
        queryKey={PRODUCTS_KEY}
        fetchPage={(p) => api.get<Page<ProductDto>>('/products', p)}
        columns={columns}
        rowKey="id"
        filters={filters}
        toParams={(f): QueryParams => ({ q: f.q?.trim() || undefined, categoryId: f.categoryId, onShelf: f.onShelf, lowStock: f.lowStock ? 'true' : undefined })}
        onParamsChange={listParams.track}
        // a selection is put on or off the shelf, or exported
        rowSelection={
          manager || exporter
            ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as number[]), getCheckboxProps: (p) => ({ name: p.name }) }
            : undefined
        }
        toolbar={
          manager && (
            <>
              <Button disabled={!selected.length} loading={running === 'shelf:true'} onClick={() => void shelve(true)} data-testid="product-put-on">
                {t('products.putOnSelected', { count: selected.length })}
              </Button>
              <Button disabled={!selected.length} loading={running === 'shelf:false'} onClick={() => void shelve(false)} data-testid="product-take-off">
                {t('products.takeOffSelected', { count: selected.length })}
              </Button>
            </>
          )
        }
      />
      {creating && <ProductFormModal product={null} onClose={() => setCreating(false)} onSaved={(p) => navigate(`/products/${p.id}`)} />}
    </PageContainer>
  );
}
