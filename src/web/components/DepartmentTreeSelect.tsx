import { TreeSelect } from 'antd';
import { useMemo } from 'react';
import { buildDepartmentTree, type DepartmentNode, useDepartments } from './departments';

interface Props {
  value?: number | null;
  onChange?: (value: number | null) => void;
  placeholder?: string;
  allowClear?: boolean;
  /** Departments that cannot be chosen (a department's own subtree when moving it). */
  disabledIds?: Set<number>;
  id?: string;
  'data-testid'?: string;
}

interface TreeOption {
  value: number;
  title: string;
  disabled: boolean;
  children: TreeOption[];
}

/** Picks a department from the tree; type to search by name. */
export function DepartmentTreeSelect({ value, onChange, disabledIds, ...rest }: Props) {
  const { data, isLoading } = useDepartments();
  const treeData = useMemo(() => {
    const toOption = (d: DepartmentNode): TreeOption => ({
      value: d.id,
      title: d.name,
      disabled: !!disabledIds?.has(d.id),
      children: d.children.map(toOption),
    });
    return buildDepartmentTree(data ?? []).map(toOption);
  }, [data, disabledIds]);

  return (
    <TreeSelect
      {...rest}
      value={value ?? undefined}
      onChange={(v: number | undefined) => onChange?.(v ?? null)}
      treeData={treeData}
      loading={isLoading}
      showSearch
      treeNodeFilterProp="title"
      treeDefaultExpandAll
      style={{ width: '100%' }}
    />
  );
}
