import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Col, Form, Input, InputNumber, Row, Select, Space, Switch, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoney } from '../../../common/money';
import { DiscountRuleInput, type DiscountRuleDto, PriceBookInput, type PriceBookDto } from '../../../common/schemas/products';
import { api } from '../../api/client';
import { useAction } from '../../components/actions';
import { DeleteButton } from '../../components/DeleteButton';
import { DictSelect, useDictionaries } from '../../components/dictionaries';
import { useSchemaForm } from '../../components/form';
import { FormModal } from '../../components/FormModal';
import { TabbedSettingsPage } from '../../components/TabbedSettingsPage';
import { CategorySelect, ProductSelect, useCategories, useCurrencies } from './products';

const BOOKS_KEY = ['price-books'] as const;
const RULES_KEY = ['discount-rules'] as const;
const LIMITS_KEY = ['discount-limits'] as const;
const TABS = ['priceBooks', 'rules', 'limits'] as const;

function CurrencySelect(props: { value?: string; onChange?: (v: string) => void }) {
  const currencies = useCurrencies();
  return <Select {...props} options={(currencies.data ?? []).filter((c) => c.enabled).map((c) => ({ value: c.code, label: `${c.code} ${c.name}` }))} />;
}

function BookModal({ book, onClose }: { book: PriceBookDto | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const currencies = useCurrencies();
  const { form, field, submit, submitting } = useSchemaForm(PriceBookInput);
  const send = async (v: unknown) => {
    if (book) await api.put(`/price-books/${book.id}`, v);
    else await api.post('/price-books', v);
    await queryClient.invalidateQueries({ queryKey: BOOKS_KEY });
  };
  const initial = book ?? { currency: currencies.data?.find((c) => c.isCompany)?.code, enabled: true, items: [] };
  return (
    <FormModal form={form} submitting={submitting} onClose={onClose} width={760} title={t(book ? 'products.pricing.editBook' : 'products.pricing.createBook')}>
      <Form form={form} layout="vertical" initialValues={initial} onFinish={submit(send, onClose)} data-testid="price-book-form">
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item {...field('name')} label={t('products.pricing.bookName')}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item {...field('levelCode')} label={t('products.pricing.level')}>
              <DictSelect kind="customer_level" allowClear placeholder={t('products.pricing.allLevels')} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item {...field('currency')} label={t('products.currency')}>
              <CurrencySelect />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item {...field('validFrom')} label={t('products.pricing.validFrom')}>
              <Input type="date" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item {...field('validTo')} label={t('products.pricing.validTo')}>
              <Input type="date" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item {...field('enabled')} label={t('products.pricing.enabled')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label={t('products.pricing.items')}>
          <Form.List name="items">
            {(rows, { add, remove }) => (
              <Space direction="vertical" style={{ width: '100%' }}>
                {rows.map((row) => (
                  <Space.Compact key={row.key} block>
                    <Form.Item name={[row.name, 'productId']} noStyle>
                      <ProductSelect placeholder={t('products.pricing.product')} aria-label={t('products.pricing.product')} />
                    </Form.Item>
                    <Form.Item name={[row.name, 'price']} noStyle>
                      <Input inputMode="decimal" style={{ width: 160 }} placeholder={t('products.pricing.price')} aria-label={t('products.pricing.price')} />
                    </Form.Item>
                    <Button icon={<DeleteOutlined />} onClick={() => remove(row.name)} aria-label={t('common.remove')} />
                  </Space.Compact>
                ))}
                <Button icon={<PlusOutlined />} onClick={() => add({})}>
                  {t('products.pricing.addItem')}
                </Button>
              </Space>
            )}
          </Form.List>
        </Form.Item>
      </Form>
    </FormModal>
  );
}

function PriceBooks() {
  const { t } = useTranslation();
  const dict = useDictionaries();
  const queryClient = useQueryClient();
  const { run } = useAction(() => queryClient.invalidateQueries({ queryKey: BOOKS_KEY }));
  const books = useQuery({ queryKey: BOOKS_KEY, queryFn: () => api.get<{ items: PriceBookDto[] }>('/price-books').then((r) => r.items) });
  const [editing, setEditing] = useState<PriceBookDto | 'new' | null>(null);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="price-book-create">
        {t('products.pricing.createBook')}
      </Button>
      {books.error && <Alert type="error" showIcon message={books.error.message} />}
      <Table<PriceBookDto>
        rowKey="id"
        loading={books.isPending}
        dataSource={books.data}
        pagination={false}
        columns={[
          { title: t('products.pricing.bookName'), dataIndex: 'name' },
          { title: t('products.pricing.level'), dataIndex: 'levelCode', render: (v: string | null) => (v ? dict.label('customer_level', v) : t('products.pricing.allLevels')) },
          { title: t('products.currency'), dataIndex: 'currency' },
          { title: t('products.pricing.validity'), key: 'validity', render: (_, b) => (b.validFrom || b.validTo ? `${b.validFrom ?? '…'} ~ ${b.validTo ?? '…'}` : t('products.pricing.always')) },
          { title: t('products.pricing.items'), key: 'items', render: (_, b) => t('products.pricing.itemCount', { count: b.items.length }) },
          { title: t('products.pricing.enabled'), dataIndex: 'enabled', render: (v: boolean) => (v ? <Tag color="green">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag>) },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, b) => (
              <Space>
                <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(b)}>
                  {t('common.edit')}
                </Button>
                <DeleteButton confirm={t('products.pricing.deleteBookConfirm', { name: b.name })} onDelete={() => run(`delete:${b.id}`, () => api.delete(`/price-books/${b.id}`), t('common.deleted'))} />
              </Space>
            ),
          },
        ]}
        expandable={{
          rowExpandable: (b) => b.items.length > 0,
          expandedRowRender: (b) => (
            <Table
              rowKey="productId"
              size="small"
              pagination={false}
              dataSource={b.items}
              columns={[
                { title: t('products.code'), dataIndex: 'productCode' },
                { title: t('products.name'), dataIndex: 'productName' },
                { title: t('products.pricing.price'), dataIndex: 'price', align: 'right', render: (v: string) => formatMoney(v, b.currency) },
              ]}
            />
          ),
        }}
      />
      {editing && <BookModal book={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Space>
  );
}

function RuleModal({ rule, onClose }: { rule: DiscountRuleDto | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { form, field, submit, submitting } = useSchemaForm(DiscountRuleInput);
  const kind = Form.useWatch('kind', form) as DiscountRuleDto['kind'] | undefined;
  const send = async (v: unknown) => {
    if (rule) await api.put(`/discount-rules/${rule.id}`, v);
    else await api.post('/discount-rules', v);
    await queryClient.invalidateQueries({ queryKey: RULES_KEY });
  };
  return (
    <FormModal form={form} submitting={submitting} onClose={onClose} title={t(rule ? 'products.pricing.editRule' : 'products.pricing.createRule')}>
      <Form form={form} layout="vertical" initialValues={rule ?? { kind: 'quantity', enabled: true }} onFinish={submit(send, onClose)} data-testid="discount-rule-form">
        <Form.Item {...field('name')} label={t('products.pricing.ruleName')}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item {...field('kind')} label={t('products.pricing.kind')}>
          <Select options={(['quantity', 'customer_level'] as const).map((k) => ({ value: k, label: t(`products.pricing.kinds.${k}`) }))} />
        </Form.Item>
        {kind === 'customer_level' ? (
          <Form.Item {...field('levelCode')} required label={t('products.pricing.level')}>
            <DictSelect kind="customer_level" />
          </Form.Item>
        ) : (
          <Form.Item {...field('minQuantity')} required label={t('products.pricing.minQuantity')}>
            <Input inputMode="decimal" />
          </Form.Item>
        )}
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item {...field('productId')} label={t('products.pricing.product')}>
              <ProductSelect allowClear placeholder={t('products.pricing.allProducts')} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item {...field('categoryId')} label={t('products.category')}>
              <CategorySelect placeholder={t('products.pricing.allProducts')} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item {...field('percent')} label={t('products.pricing.percent')}>
          <Input inputMode="decimal" suffix="%" />
        </Form.Item>
        <Form.Item {...field('enabled')} label={t('products.pricing.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

function DiscountRules() {
  const { t } = useTranslation();
  const dict = useDictionaries();
  const categories = useCategories();
  const queryClient = useQueryClient();
  const { run } = useAction(() => queryClient.invalidateQueries({ queryKey: RULES_KEY }));
  const rules = useQuery({ queryKey: RULES_KEY, queryFn: () => api.get<{ items: DiscountRuleDto[] }>('/discount-rules').then((r) => r.items) });
  const [editing, setEditing] = useState<DiscountRuleDto | 'new' | null>(null);
  const scope = (r: DiscountRuleDto) =>
    r.categoryId ? (categories.data?.find((c) => c.id === r.categoryId)?.name ?? '-') : r.productId ? `#${r.productId}` : t('products.pricing.allProducts');
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
        {t('products.pricing.createRule')}
      </Button>
      {rules.error && <Alert type="error" showIcon message={rules.error.message} />}
      <Table<DiscountRuleDto>
        rowKey="id"
        loading={rules.isPending}
        dataSource={rules.data}
        pagination={false}
        columns={[
          { title: t('products.pricing.ruleName'), dataIndex: 'name' },
          { title: t('products.pricing.kind'), dataIndex: 'kind', render: (k: DiscountRuleDto['kind']) => t(`products.pricing.kinds.${k}`) },
          {
            title: t('products.pricing.condition'),
            key: 'condition',
            render: (_, r) => (r.kind === 'quantity' ? t('products.pricing.atLeast', { quantity: Number(r.minQuantity) }) : dict.label('customer_level', r.levelCode)),
          },
          { title: t('products.pricing.scope'), key: 'scope', render: (_, r) => scope(r) },
          { title: t('products.pricing.percent'), dataIndex: 'percent', render: (v: string) => t('products.pricing.percentOff', { percent: Number(v) }) },
          { title: t('products.pricing.enabled'), dataIndex: 'enabled', render: (v: boolean) => (v ? <Tag color="green">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag>) },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, r) => (
              <Space>
                <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(r)}>
                  {t('common.edit')}
                </Button>
                <DeleteButton confirm={t('products.pricing.deleteRuleConfirm', { name: r.name })} onDelete={() => run(`delete:${r.id}`, () => api.delete(`/discount-rules/${r.id}`), t('common.deleted'))} />
              </Space>
            ),
          },
        ]}
      />
      {editing && <RuleModal rule={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Space>
  );
}

interface RoleLimit {
  roleId: number;
  roleName: string;
  maxPercent: string | null;
}

function RoleLimits() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { running, run } = useAction(() => queryClient.invalidateQueries({ queryKey: LIMITS_KEY }));
  const limits = useQuery({ queryKey: LIMITS_KEY, queryFn: () => api.get<{ items: RoleLimit[] }>('/discount-limits').then((r) => r.items) });
  const [values, setValues] = useState<Record<number, number | null>>({});
  useEffect(() => {
    if (limits.data) setValues(Object.fromEntries(limits.data.map((l) => [l.roleId, l.maxPercent === null ? null : Number(l.maxPercent)])));
  }, [limits.data]);
  const save = () =>
    run(
      'save',
      () =>
        api.put('/discount-limits', {
          limits: Object.entries(values)
            .filter(([, v]) => v !== null && v !== undefined)
            .map(([roleId, v]) => ({ roleId: Number(roleId), maxPercent: String(v) })),
        }),
      t('common.saved'),
    );
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Alert type="info" showIcon message={t('products.pricing.limitsHelp')} />
      {limits.error && <Alert type="error" showIcon message={limits.error.message} />}
      <Table<RoleLimit>
        rowKey="roleId"
        loading={limits.isPending}
        dataSource={limits.data}
        pagination={false}
        columns={[
          { title: t('products.pricing.role'), dataIndex: 'roleName' },
          {
            title: t('products.pricing.maxPercent'),
            key: 'max',
            render: (_, l) => (
              <InputNumber
                min={0}
                max={100}
                precision={2}
                value={values[l.roleId]}
                placeholder={t('products.pricing.noLimit')}
                style={{ width: 200 }}
                aria-label={`${l.roleName} ${t('products.pricing.maxPercent')}`}
                onChange={(v) => setValues((prev) => ({ ...prev, [l.roleId]: v }))}
              />
            ),
          },
        ]}
      />
      <Button type="primary" loading={running === 'save'} onClick={() => void save()}>
        {t('products.pricing.saveLimits')}
      </Button>
    </Space>
  );
}

/** Sales settings for pricing (SAL-4): price books, discount rules, the largest discount per role. */
export default function PricingSettings() {
  const { t } = useTranslation();
  return (
    <TabbedSettingsPage
      title={t('products.pricing.title')}
      subTitle={t('products.pricing.subTitle')}
      tabs={TABS}
      label={(k) => t(`products.pricing.tabs.${k}`)}
      panel={(k) => (k === 'priceBooks' ? <PriceBooks /> : k === 'rules' ? <DiscountRules /> : <RoleLimits />)}
    />
  );
}
