import { DownOutlined, ReloadOutlined, UpOutlined } from '@ant-design/icons';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Alert, Badge, Button, Col, Form, Row, Space, Table, Typography } from 'antd';
import type { ColumnsType, TableProps } from 'antd/es/table';
import { isValidElement, type ReactNode, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { QueryParams } from '../api/client';
import type { CountedPage } from '../api/types';

export type SortOrder = 'asc' | 'desc';

export interface ListPageProps<Row, Filters> {
  /** First part of the cache keys; invalidate it to reload the list (and its count). */
  queryKey: string;
  fetchPage: (params: QueryParams) => Promise<CountedPage<Row>>;
  /** How many records match the filters; without it the page's own `total` is used when present. */
  fetchTotal?: (params: QueryParams) => Promise<number>;
  columns: ColumnsType<Row>;
  rowKey: keyof Row & string;
  /** Filter fields (Form.Items, each in its own column of the filter bar). */
  filters?: ReactNode[];
  /** More filter fields, behind a "more filters" button (they keep their values while folded away). */
  moreFilters?: ReactNode[];
  initialFilters?: Partial<Filters>;
  /** Turns the filter form's values into query parameters. */
  toParams?: (values: Filters) => QueryParams;
  /** Enables server sorting: columns with `sorter: true` sort by their `key`. */
  defaultSort?: { field: string; order: SortOrder };
  /** The sort to start with when it is not the default one (a saved view's, the address's). */
  initialSort?: { field: string; order: SortOrder };
  /** Told the query parameters (filters and sort) whenever they change, e.g. to keep them in the address. */
  onParamsChange?: (params: QueryParams) => void;
  /** Buttons beside the filters (left of the reload button). */
  toolbar?: ReactNode;
  pageSize?: number;
  testId?: string;
  /** Checkboxes on the rows, for actions on several records at once. */
  rowSelection?: TableProps<Row>['rowSelection'];
  /** Shown between the toolbar and the table, e.g. the actions on the selected rows. */
  selectionBar?: ReactNode;
}

/** Waits until the value has been still for `ms`, so typing does not fire a request per key. */
function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

const toAntdOrder = (o: SortOrder) => (o === 'asc' ? ('ascend' as const) : ('descend' as const));

/**
 * A list page body: filter bar, table, total and "load more" over the server's
 * keyset pages. Rows stay while new filters load, and the table scrolls
 * sideways on narrow screens instead of widening the page.
 */
export function ListPage<Row extends object, Filters extends object = Record<string, unknown>>(props: ListPageProps<Row, Filters>) {
  const {
    queryKey,
    fetchPage,
    fetchTotal,
    columns,
    rowKey,
    filters,
    moreFilters,
    initialFilters,
    toParams,
    defaultSort,
    initialSort,
    onParamsChange,
    toolbar,
    pageSize = 50,
    testId,
    rowSelection,
    selectionBar,
  } = props;
  const { t } = useTranslation();
  const [form] = Form.useForm<Filters>();
  const [values, setValues] = useState<Partial<Filters>>(initialFilters ?? {});
  const [sort, setSort] = useState(initialSort ?? defaultSort);
  const [expanded, setExpanded] = useState(false);
  const debouncedValues = useDebounced(values, 300);

  const params = useMemo<QueryParams>(() => {
    const base = toParams ? toParams(debouncedValues as Filters) : (debouncedValues as QueryParams);
    return sort ? { ...base, sort: sort.field, order: sort.order } : base;
  }, [debouncedValues, sort, toParams]);

  useEffect(() => onParamsChange?.(params), [params, onParamsChange]);

  const list = useInfiniteQuery({
    queryKey: [queryKey, 'list', params, pageSize],
    queryFn: ({ pageParam }) => fetchPage({ ...params, limit: pageSize, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    // others change the data too: opening a list always asks again
    refetchOnMount: 'always',
  });

  const { sort: _sort, order: _order, ...countParams } = params;
  const count = useQuery({
    queryKey: [queryKey, 'count', countParams],
    queryFn: () => fetchTotal!(countParams),
    enabled: !!fetchTotal,
    placeholderData: keepPreviousData,
    refetchOnMount: 'always',
  });

  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const total = fetchTotal ? count.data : list.data?.pages[0]?.total;

  const sortedColumns = useMemo<ColumnsType<Row>>(
    () =>
      columns.map((c) =>
        c.sorter === true
          ? { ...c, sortDirections: ['descend', 'ascend'], sortOrder: sort && c.key === sort.field ? toAntdOrder(sort.order) : null }
          : c,
      ),
    [columns, sort],
  );

  const onTableChange: TableProps<Row>['onChange'] = (_p, _f, sorter) => {
    if (Array.isArray(sorter) || !defaultSort) return;
    setSort(
      sorter.order && sorter.columnKey
        ? { field: String(sorter.columnKey), order: sorter.order === 'ascend' ? 'asc' : 'desc' }
        : defaultSort,
    );
  };

  const reload = () => {
    void list.refetch();
    if (fetchTotal) void count.refetch();
  };

  const error = list.error ?? count.error;

  // how many of the folded filters are set: shown on the button while folded
  const moreActive = (moreFilters ?? []).filter((f) => {
    const name = isValidElement<{ name?: unknown }>(f) ? f.props.name : undefined;
    if (typeof name !== 'string') return false;
    const v = (values as Record<string, unknown>)[name];
    return v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);
  }).length;

  return (
    <div className="list-page" data-testid={testId}>
      {filters && filters.length > 0 && (
        <Form
          form={form}
          name={`${queryKey}-filters`}
          className="list-filters"
          initialValues={initialFilters}
          onValuesChange={(_, all) => setValues(all as Partial<Filters>)}
        >
          <Row gutter={[12, 12]}>
            {filters.map((f, i) => (
              <Col key={i} xs={24} sm={12} lg={8} xl={6}>
                {f}
              </Col>
            ))}
            {moreFilters?.map((f, i) => (
              // folded filters stay mounted (hidden), so the form keeps reporting their values
              <Col key={`more-${i}`} xs={24} sm={12} lg={8} xl={6} style={expanded ? undefined : { display: 'none' }}>
                {f}
              </Col>
            ))}
            <Col xs={24} sm={12} lg={8} xl={6}>
              <Space wrap>
                <Button
                  onClick={() => {
                    form.resetFields();
                    setValues(initialFilters ?? {});
                  }}
                >
                  {t('list.reset')}
                </Button>
                {moreFilters && moreFilters.length > 0 && (
                  <Badge count={expanded ? 0 : moreActive} size="small">
                    <Button
                      type="link"
                      icon={expanded ? <UpOutlined /> : <DownOutlined />}
                      iconPosition="end"
                      onClick={() => setExpanded((e) => !e)}
                      data-testid="list-more-filters"
                    >
                      {t(expanded ? 'list.lessFilters' : 'list.moreFilters')}
                    </Button>
                  </Badge>
                )}
              </Space>
            </Col>
          </Row>
        </Form>
      )}
      <div className="list-toolbar">
        <Typography.Text type="secondary" data-testid="list-total">
          {total === undefined ? '\u00a0' : t('list.total', { count: total })}
        </Typography.Text>
        <Space wrap>
          {toolbar}
          <Button icon={<ReloadOutlined />} onClick={reload} aria-label={t('list.reload')} title={t('list.reload')} />
        </Space>
      </div>
      {selectionBar}
      {error && <Alert type="error" showIcon message={error.message} className="list-error" />}
      <Table<Row>
        rowKey={rowKey}
        rowSelection={rowSelection}
        columns={sortedColumns}
        dataSource={rows}
        loading={list.isFetching && !list.isFetchingNextPage}
        pagination={false}
        scroll={{ x: 'max-content' }}
        onChange={onTableChange}
        size="middle"
      />
      <div className="list-footer">
        {rows.length > 0 && (
          <Typography.Text type="secondary">
            {total === undefined ? t('list.loadedOnly', { count: rows.length }) : t('list.loaded', { count: rows.length, total })}
          </Typography.Text>
        )}
        {list.hasNextPage && (
          <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} data-testid="list-load-more">
            {t('list.loadMore')}
          </Button>
        )}
      </div>
    </div>
  );
}
