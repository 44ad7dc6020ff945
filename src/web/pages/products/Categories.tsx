import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Form, Input, InputNumber, Skeleton, Space, Tree, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CategoryCreate, type CategoryDto } from '../../../common/schemas/products';
import { api } from '../../api/client';
import { useSession } from '../../app/session';
import { useAction } from '../../components/actions';
import { DeleteButton } from '../../components/DeleteButton';
import { useSchemaForm } from '../../components/form';
import { FormModal } from '../../components/FormModal';
import { PageContainer } from '../../components/PageContainer';
import { CATEGORIES_KEY, CategorySelect, categoryTree, type CategoryNode, useCategories } from './products';

/** Creates a category (under `parentId`) or edits one: renaming, re-sorting, moving it under another parent. */
function CategoryModal({ category, parentId, onClose }: { category: CategoryDto | null; parentId: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { form, field, submit, submitting } = useSchemaForm(CategoryCreate);
  const send = async (v: { name: string; parentId: number | null; sort: number }) => {
    if (category) await api.patch(`/product-categories/${category.id}`, v);
    else await api.post('/product-categories', v);
    await queryClient.invalidateQueries({ queryKey: CATEGORIES_KEY });
    message.success(t(category ? 'common.saved' : 'common.created'));
  };
  return (
    <FormModal form={form} submitting={submitting} onClose={onClose} title={t(category ? 'products.categories.edit' : 'products.categories.create')}>
      <Form
        form={form}
        name="category"
        layout="vertical"
        data-testid="category-form"
        initialValues={category ? { name: category.name, parentId: category.parentId, sort: category.sort } : { parentId, sort: 0 }}
        onFinish={submit(send, onClose)}
      >
        <Form.Item {...field('name')} label={t('products.name')}>
          <Input maxLength={50} autoFocus />
        </Form.Item>
        <Form.Item {...field('parentId')} label={t('products.categories.parent')}>
          <CategorySelect placeholder={t('products.categories.top')} />
        </Form.Item>
        <Form.Item {...field('sort')} label={t('products.currencies.sort')}>
          <InputNumber min={0} max={10000} precision={0} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

interface TitledNode {
  key: number;
  title: React.ReactNode;
  children: TitledNode[];
}

/** The category tree (SAL-4): add, rename, move, delete an empty leaf. */
export default function Categories() {
  const { t } = useTranslation();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const categories = useCategories();
  const { run } = useAction(() => queryClient.invalidateQueries({ queryKey: CATEGORIES_KEY }));
  const [dialog, setDialog] = useState<{ category: CategoryDto | null; parentId: number | null } | null>(null);
  const manager = can('product.manage');

  const title = (n: CategoryNode) => (
    <Space size={8} wrap data-testid={`category-${n.category.id}`}>
      <span>{n.category.name}</span>
      <Typography.Text type="secondary">{t('products.categories.productCount', { count: n.category.productCount })}</Typography.Text>
      {manager && (
        <>
          <Button size="small" type="link" icon={<PlusOutlined />} onClick={() => setDialog({ category: null, parentId: n.category.id })}>
            {t('products.categories.createChild')}
          </Button>
          <Button size="small" type="link" icon={<EditOutlined />} onClick={() => setDialog({ category: n.category, parentId: n.category.parentId })}>
            {t('common.edit')}
          </Button>
          <DeleteButton
            confirm={t('products.categories.deleteConfirm', { name: n.category.name })}
            onDelete={() => run(`delete:${n.category.id}`, () => api.delete(`/product-categories/${n.category.id}`), t('common.deleted'))}
          />
        </>
      )}
    </Space>
  );
  const withTitles = (nodes: CategoryNode[]): TitledNode[] =>
    nodes.map((n) => ({ key: n.key, title: title(n), children: withTitles(n.children) }));

  return (
    <PageContainer
      title={t('products.categories.title')}
      subTitle={t('products.categories.subTitle')}
      extra={
        manager && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ category: null, parentId: null })} data-testid="category-create">
            {t('products.categories.create')}
          </Button>
        )
      }
    >
      <Card className="page-card">
        {categories.error ? (
          <Alert type="error" showIcon message={categories.error.message} />
        ) : categories.isPending ? (
          <Skeleton active />
        ) : categories.data.length ? (
          <Tree blockNode selectable={false} defaultExpandAll treeData={withTitles(categoryTree(categories.data))} />
        ) : (
          <Empty description={t('products.categories.empty')} />
        )}
      </Card>
      {dialog && <CategoryModal {...dialog} onClose={() => setDialog(null)} />}
    </PageContainer>
  );
}
