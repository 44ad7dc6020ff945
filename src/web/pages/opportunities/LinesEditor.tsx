import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Input, Space, Table, Tag, Typography } from 'antd';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoney, lineAmount, totals } from '../../../common/money';
import type { ProductDto } from '../../../common/schemas/products';
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import { RemoteSelect } from '../../components/RemoteSelect';

/** A line being edited: what the server takes, plus what the table shows. */
export interface EditLine {
  key: string;
  productId: number | null;
  productName?: string;
  unit?: string;
  quantity: string;
  price: string;
  discount: string;
  /** false: the product went off the shelf (the line may stay, it cannot be added anew). */
  onShelf?: boolean;
}

const isAmount = (v: string) => /^\d{1,13}(\.\d{1,2})?$/.test(v);
const isQuantity = (v: string) => /^\d{1,10}(\.\d{1,3})?$/.test(v) && Number(v) > 0;
const isPercent = (v: string) => /^\d{1,3}(\.\d{1,2})?$/.test(v) && Number(v) <= 100;
/** A line the money library can compute (the server computes the stored amount the same way). */
export const lineComplete = (l: EditLine) => l.productId !== null && isQuantity(l.quantity) && isAmount(l.price) && isPercent(l.discount);

/** The lines as the API takes them. */
export const linesBody = (lines: EditLine[]) => lines.filter(lineComplete).map((l) => ({ productId: l.productId!, quantity: l.quantity, price: l.price, discount: l.discount }));

/** Totals of the complete lines, exact (money.ts), as the server will store them. */
export const linesTotals = (lines: EditLine[]) => totals(lines.filter(lineComplete));

let nextKey = 0;
export const newLineKey = () => `l${++nextKey}`;

function ProductPicker({ value, onPicked }: { value: number | null; onPicked: (p: ProductDto) => void }) {
  const { t } = useTranslation();
  const found = useRef(new Map<number, ProductDto>()).current;
  return (
    <RemoteSelect
      value={value}
      aria-label={t('opportunities.lines.product')}
      data-testid="line-product"
      queryKey="products"
      search={(q) =>
        api.get<Page<ProductDto>>('/products', { q: q || undefined, onShelf: true, limit: 20 }).then((p) =>
          p.items.map((x) => {
            found.set(x.id, x);
            return { value: x.id, label: `${x.name} · ${x.code}` };
          }),
        )
      }
      resolve={(id) => api.get<ProductDto>(`/products/${id}`).then((x) => ({ value: x.id, label: `${x.name} · ${x.code}` }))}
      onChange={(id) => {
        const p = id === null ? undefined : found.get(id);
        if (p) onPicked(p);
      }}
    />
  );
}

/**
 * Product lines with live amounts and totals; edits in place, the caller saves.
 * `priceOf`: where a picked product's price and discount come from (quotes ask
 * the pricing endpoint); without it, the list price.
 */
export function LinesEditor({
  value,
  onChange,
  currency,
  readOnly,
  priceOf,
}: {
  value: EditLine[];
  onChange?: (lines: EditLine[]) => void;
  currency: string;
  readOnly?: boolean;
  priceOf?: (productId: number, quantity: string) => Promise<{ price: string; discount: string }>;
}) {
  const { t } = useTranslation();
  // the price arrives after the pick: apply it to the lines as they are then
  const latest = useRef(value);
  latest.current = value;
  const set = (key: string, patch: Partial<EditLine>) => onChange?.(latest.current.map((l) => (l.key === key ? { ...l, ...patch } : l)));
  const pick = (l: EditLine, p: ProductDto) => {
    set(l.key, { productId: p.id, productName: p.name, unit: p.unit, price: p.price, onShelf: true });
    void priceOf?.(p.id, isQuantity(l.quantity) ? l.quantity : '1').then((x) => set(l.key, x), () => undefined);
  };
  const sum = linesTotals(value);
  const text = (key: string, field: 'quantity' | 'price' | 'discount', v: string, ok: (s: string) => boolean, label: string) =>
    readOnly ? (
      v
    ) : (
      <Input
        value={v}
        status={ok(v) ? undefined : 'error'}
        aria-label={label}
        data-testid={`line-${field}`}
        onChange={(e) => set(key, { [field]: e.target.value.trim() })}
        style={{ width: 110 }}
      />
    );
  return (
    <div data-testid="lines-editor">
      <Table<EditLine>
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={value}
        locale={{ emptyText: t('opportunities.lines.empty') }}
        scroll={{ x: 'max-content' }}
        columns={[
          {
            title: t('opportunities.lines.product'),
            key: 'product',
            render: (_, l) =>
              readOnly || l.onShelf === false ? (
                <Space>
                  {l.productName}
                  {l.onShelf === false && <Tag>{t('opportunities.lines.offShelf')}</Tag>}
                </Space>
              ) : (
                <div style={{ minWidth: 200 }}>
                  <ProductPicker value={l.productId} onPicked={(p) => pick(l, p)} />
                </div>
              ),
          },
          { title: t('opportunities.lines.quantity'), key: 'quantity', render: (_, l) => text(l.key, 'quantity', l.quantity, isQuantity, t('opportunities.lines.quantity')) },
          { title: t('opportunities.lines.unit'), dataIndex: 'unit', key: 'unit', render: (v?: string) => v ?? '-' },
          { title: t('opportunities.lines.price'), key: 'price', render: (_, l) => text(l.key, 'price', l.price, isAmount, t('opportunities.lines.price')) },
          { title: t('opportunities.lines.discount'), key: 'discount', render: (_, l) => text(l.key, 'discount', l.discount, isPercent, t('opportunities.lines.discount')) },
          {
            title: t('opportunities.lines.amount'),
            key: 'amount',
            align: 'right',
            render: (_, l) => <span data-testid="line-amount">{lineComplete(l) ? formatMoney(lineAmount(l), currency) : '-'}</span>,
          },
          ...(readOnly
            ? []
            : [
                {
                  key: 'remove',
                  render: (_: unknown, l: EditLine) => (
                    <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={() => onChange?.(value.filter((x) => x.key !== l.key))} />
                  ),
                },
              ]),
        ]}
      />
      <Space style={{ marginTop: 8, width: '100%', justifyContent: 'space-between' }} wrap>
        {readOnly ? (
          <span />
        ) : (
          <Button icon={<PlusOutlined />} data-testid="line-add" onClick={() => onChange?.([...value, { key: newLineKey(), productId: null, quantity: '1', price: '0', discount: '0' }])}>
            {t('opportunities.lines.add')}
          </Button>
        )}
        <Space size="large">
          <Typography.Text type="secondary">
            {t('opportunities.lines.listTotal')}: {formatMoney(sum.listTotal, currency)}
          </Typography.Text>
          <Typography.Text strong data-testid="lines-subtotal">
            {t('opportunities.lines.subtotal')}: {formatMoney(sum.subtotal, currency)}
          </Typography.Text>
        </Space>
      </Space>
    </div>
  );
}
