import { useQuery } from '@tanstack/react-query';
import { Tag, TreeSelect, type TreeSelectProps } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CurrencyDto } from '../../../common/schemas/currencies';
import type { CategoryDto, ProductDto } from '../../../common/schemas/products';
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import { RemoteSelect, type RemoteSelectProps } from '../../components/RemoteSelect';

export const PRODUCTS_KEY = 'products';
export const CATEGORIES_KEY = ['product-categories'] as const;
export const CURRENCIES_KEY = ['currencies'] as const;

export const useCategories = () =>
  useQuery({ queryKey: CATEGORIES_KEY, queryFn: () => api.get<{ items: CategoryDto[] }>('/product-categories').then((r) => r.items) });

export const useCurrencies = () =>
  useQuery({ queryKey: CURRENCIES_KEY, queryFn: () => api.get<{ items: CurrencyDto[] }>('/currencies').then((r) => r.items), staleTime: 60_000 });

export interface CategoryNode {
  key: number;
  value: number;
  title: string;
  category: CategoryDto;
  children: CategoryNode[];
}

/** The flat category list as a tree (siblings in the server's order). */
export function categoryTree(categories: CategoryDto[], parentId: number | null = null): CategoryNode[] {
  return categories
    .filter((c) => c.parentId === parentId)
    .map((c) => ({ key: c.id, value: c.id, title: c.name, category: c, children: categoryTree(categories, c.id) }));
}

/** Picks a category from the tree. */
export function CategorySelect(props: Omit<TreeSelectProps<number>, 'treeData'>) {
  const categories = useCategories();
  return <TreeSelect<number> treeDefaultExpandAll allowClear showSearch treeNodeFilterProp="title" {...props} treeData={categoryTree(categories.data ?? [])} />;
}

export function ShelfTag({ onShelf }: { onShelf: boolean }) {
  const { t } = useTranslation();
  return (
    <Tag color={onShelf ? 'green' : 'default'} bordered={false}>
      {t(onShelf ? 'products.onShelfTag' : 'products.offShelfTag')}
    </Tag>
  );
}

export function LowStockTag() {
  const { t } = useTranslation();
  return (
    <Tag color="red" bordered={false} className="low-stock-tag">
      {t('products.lowStock')}
    </Tag>
  );
}

const productOption = (p: ProductDto) => ({ value: p.id, label: `${p.code} ${p.name}` });

/** Picks a product, searching the catalogue by code or name. */
export function ProductSelect(props: RemoteSelectProps) {
  return (
    <RemoteSelect
      queryKey={PRODUCTS_KEY}
      search={(q) => api.get<Page<ProductDto>>('/products', { q: q || undefined, limit: 20 }).then((r) => r.items.map(productOption))}
      resolve={(id) => api.get<ProductDto>(`/products/${id}`).then(productOption)}
      {...props}
    />
  );
}
