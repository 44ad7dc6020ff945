import { useQueryClient } from '@tanstack/react-query';
import { App, Col, Form, Input, Row, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { ProductCreate, type ProductDto } from '../../../common/schemas/products';
import { api } from '../../api/client';
import { FieldGate, useFieldAccess } from '../../components/fieldAccess';
import { changedFields, useSchemaForm } from '../../components/form';
import { FormModal } from '../../components/FormModal';
import { CategorySelect, PRODUCTS_KEY, useCurrencies } from './products';

/** Creates a product, or edits one (sending only what changed). */
export function ProductFormModal({ product, onClose, onSaved }: { product: ProductDto | null; onClose: () => void; onSaved?: (p: ProductDto) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const currencies = useCurrencies();
  const { form, field, submit, submitting } = useSchemaForm(ProductCreate);
  const access = useFieldAccess('product');
  const send = async (v: ProductCreate) => {
    const saved = product
      ? await api.patch<ProductDto>(`/products/${product.id}`, changedFields(product as unknown as Record<string, unknown>, v))
      : await api.post<ProductDto>('/products', v);
    await queryClient.invalidateQueries({ queryKey: [PRODUCTS_KEY] });
    message.success(t(product ? 'common.saved' : 'common.created'));
    onSaved?.(saved);
  };
  const company = currencies.data?.find((c) => c.isCompany)?.code;
  return (
    <FormModal form={form} submitting={submitting} onClose={onClose} width={720} title={t(product ? 'products.edit' : 'products.create')}>
      <Form
        form={form}
        name="product"
        layout="vertical"
        data-testid="product-form"
        initialValues={product ?? { unit: '个', onShelf: true, currency: company }}
        onFinish={submit(send, onClose)}
      >
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item {...field('name')} label={t('products.name')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item {...field('code')} label={t('products.code')} extra={product ? undefined : t('products.codeHelp')}>
              <Input maxLength={40} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item {...field('categoryId')} label={t('products.category')}>
              <CategorySelect />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item {...field('unit')} label={t('products.unit')}>
              <Input maxLength={10} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item {...field('currency')} label={t('products.currency')}>
              <Select options={(currencies.data ?? []).filter((c) => c.enabled).map((c) => ({ value: c.code, label: `${c.code} ${c.name}` }))} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item {...field('price')} label={t('products.price')}>
              <Input inputMode="decimal" />
            </Form.Item>
          </Col>
          <FieldGate access={access} field="cost">
            <Col xs={12} sm={6}>
              <Form.Item {...field('cost')} label={t('products.cost')}>
                <Input inputMode="decimal" />
              </Form.Item>
            </Col>
          </FieldGate>
          <FieldGate access={access} field="lowStockThreshold">
            <Col xs={12} sm={6}>
              <Form.Item {...field('lowStockThreshold')} label={t('products.lowStockThreshold')}>
                <Input inputMode="decimal" />
              </Form.Item>
            </Col>
          </FieldGate>
          <Col xs={12} sm={6}>
            <Form.Item {...field('onShelf')} label={t('products.onShelf')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item {...field('description')} label={t('products.description')}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={5000} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </FormModal>
  );
}
