import { ArrowDownOutlined, ArrowUpOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Radio, Select, Space, Switch, Table, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DICTIONARY_KINDS, DictionaryItemCreate, DictionaryItemUpdate } from '../../../common/schemas/dictionaries';
import { api } from '../../api/client';
import type { DictionaryItemDto, DictionaryKind } from '../../api/types';
import { DICTIONARIES_KEY, useDictionaries } from '../../components/dictionaries';
import { changedFields, useSchemaForm, useShowError } from '../../components/form';
import { PageContainer } from '../../components/PageContainer';

interface Row extends DictionaryItemDto {
  children?: Row[];
}

/** The allowed next statuses: any (null) or a chosen list. */
function NextCodesInput({
  value,
  onChange,
  options,
  id,
}: {
  value?: string[] | null;
  onChange?: (v: string[] | null) => void;
  options: { value: string; label: string }[];
  id?: string;
}) {
  const { t } = useTranslation();
  const limited = Array.isArray(value);
  return (
    <Space direction="vertical" style={{ width: '100%' }} id={id}>
      <Radio.Group
        value={limited ? 'limited' : 'any'}
        onChange={(e) => onChange?.(e.target.value === 'any' ? null : (value ?? []))}
        options={[
          { value: 'any', label: t('dictionaries.nextAny') },
          { value: 'limited', label: t('dictionaries.nextLimited') },
        ]}
      />
      {limited && (
        <Select<string[]>
          mode="multiple"
          value={value}
          onChange={(v) => onChange?.(v)}
          options={options}
          placeholder={t('dictionaries.nextNone')}
          optionFilterProp="label"
          aria-label={t('dictionaries.nextCodes')}
          style={{ width: '100%' }}
        />
      )}
    </Space>
  );
}

/** The other statuses, as choices for "may change to" (a disabled one says so). */
function useStatusChoices(items: DictionaryItemDto[], self: string | undefined) {
  const { t } = useTranslation();
  return items
    .filter((i) => i.code !== self)
    .map((i) => ({ value: i.code, label: i.enabled ? i.label : t('dictionaries.disabledLabel', { label: i.label }) }));
}

/** Adds an item: its code is fixed for good, the label may change later. */
function CreateModal({ kind, parentCode, items, onClose }: { kind: DictionaryKind; parentCode?: string; items: DictionaryItemDto[]; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { form, field, submit, submitting } = useSchemaForm(DictionaryItemCreate);
  const statusChoices = useStatusChoices(items, undefined);
  const save = submit(async (data) => {
    await api.post(`/dictionaries/${kind}`, data);
    await queryClient.invalidateQueries({ queryKey: DICTIONARIES_KEY });
    message.success(t('common.created'));
  }, onClose);
  return (
    <Modal
      open
      title={t(parentCode ? 'dictionaries.createChild' : 'dictionaries.create')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={submitting}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'dictionary-form-submit' }}
    >
      <Form form={form} name="dictionary-item" layout="vertical" initialValues={{ parentCode }} onFinish={save}>
        <Form.Item label={t('dictionaries.label')} {...field('label')}>
          <Input maxLength={50} autoFocus />
        </Form.Item>
        <Form.Item label={t('dictionaries.code')} {...field('code')} extra={t('dictionaries.codeHelp')}>
          <Input maxLength={40} />
        </Form.Item>
        {kind === 'industry' && (
          <Form.Item label={t('dictionaries.parent')} {...field('parentCode')}>
            <Select
              allowClear
              placeholder={t('dictionaries.parentNone')}
              options={items.filter((i) => !i.parentCode).map((i) => ({ value: i.code, label: i.label }))}
            />
          </Form.Item>
        )}
        <Form.Item label={t('dictionaries.sort')} {...field('sort')} extra={t('dictionaries.sortHelp')}>
          <InputNumber min={0} max={100_000} precision={0} style={{ width: '100%' }} />
        </Form.Item>
        {kind === 'customer_status' && (
          <Form.Item label={t('dictionaries.nextCodes')} {...field('nextCodes')} extra={t('dictionaries.nextCodesHelp')}>
            <NextCodesInput options={statusChoices} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

/** Renames an item, changes its place, or (statuses) the statuses it may move to. */
function EditModal({ kind, item, items, onClose }: { kind: DictionaryKind; item: DictionaryItemDto; items: DictionaryItemDto[]; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { form, field, submit, submitting } = useSchemaForm(DictionaryItemUpdate);
  const statusChoices = useStatusChoices(items, item.code);
  const initial = { label: item.label, sort: item.sort, nextCodes: item.nextCodes };
  const save = submit(async (data) => {
    const changes = changedFields(initial, data as Record<string, unknown>);
    // "any" (null) and "none" ([]) differ here: compare them as they are
    if (kind === 'customer_status' && JSON.stringify(data.nextCodes ?? null) !== JSON.stringify(item.nextCodes)) changes.nextCodes = data.nextCodes ?? null;
    if (Object.keys(changes).length) await api.patch(`/dictionaries/${kind}/${item.code}`, changes);
    await queryClient.invalidateQueries({ queryKey: DICTIONARIES_KEY });
    message.success(t('common.saved'));
  }, onClose);
  return (
    <Modal
      open
      title={t('dictionaries.edit', { label: item.label })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={submitting}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'dictionary-form-submit' }}
    >
      <Form form={form} name="dictionary-edit" layout="vertical" initialValues={initial} onFinish={save}>
        <Form.Item label={t('dictionaries.code')}>
          <Typography.Text code>{item.code}</Typography.Text>
        </Form.Item>
        <Form.Item label={t('dictionaries.label')} {...field('label')} extra={t('dictionaries.labelHelp')}>
          <Input maxLength={50} autoFocus />
        </Form.Item>
        <Form.Item label={t('dictionaries.sort')} {...field('sort')} extra={t('dictionaries.sortHelp')}>
          <InputNumber min={0} max={100_000} precision={0} style={{ width: '100%' }} />
        </Form.Item>
        {kind === 'customer_status' && (
          <Form.Item label={t('dictionaries.nextCodes')} {...field('nextCodes')} extra={t('dictionaries.nextCodesHelp')}>
            <NextCodesInput options={statusChoices} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

function KindPanel({ kind }: { kind: DictionaryKind }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const queryClient = useQueryClient();
  const dict = useDictionaries();
  const [dialog, setDialog] = useState<{ kind: 'create'; parentCode?: string } | { kind: 'edit'; item: DictionaryItemDto } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const items = dict.items(kind);

  const rows = useMemo<Row[]>(() => {
    if (kind !== 'industry') return items;
    return items
      .filter((i) => !i.parentCode)
      .map((p) => {
        const children = items.filter((c) => c.parentCode === p.code);
        return children.length ? { ...p, children } : p;
      });
  }, [items, kind]);

  const patch = async (item: DictionaryItemDto, body: Record<string, unknown>) => {
    await api.patch(`/dictionaries/${kind}/${item.code}`, body);
  };

  const run = async (key: string, work: () => Promise<void>, done: string) => {
    setBusy(key);
    try {
      await work();
      message.success(done);
    } catch (err) {
      showError(err);
    } finally {
      await queryClient.invalidateQueries({ queryKey: DICTIONARIES_KEY });
      setBusy(null);
    }
  };

  /** Moves an item one place among its siblings: swaps the two sort numbers, or numbers the siblings afresh when they tie. */
  const move = (item: DictionaryItemDto, by: -1 | 1) => {
    const siblings = items.filter((i) => (i.parentCode ?? null) === (item.parentCode ?? null));
    const from = siblings.findIndex((i) => i.code === item.code);
    const to = from + by;
    if (to < 0 || to >= siblings.length) return;
    const other = siblings[to]!;
    void run(
      `move:${item.code}`,
      async () => {
        if (other.sort !== item.sort) {
          await patch(item, { sort: other.sort });
          await patch(other, { sort: item.sort });
          return;
        }
        const order = [...siblings];
        order.splice(from, 1);
        order.splice(to, 0, item);
        for (const [i, x] of order.entries()) if (x.sort !== (i + 1) * 10) await patch(x, { sort: (i + 1) * 10 });
      },
      t('dictionaries.moved'),
    );
  };

  const siblingsOf = (item: DictionaryItemDto) => items.filter((i) => (i.parentCode ?? null) === (item.parentCode ?? null));

  const columns: ColumnsType<Row> = [
    {
      title: t('dictionaries.label'),
      dataIndex: 'label',
      key: 'label',
      render: (label: string, item) => (
        <Space size={4} wrap>
          <span className={item.enabled ? undefined : 'disabled-text'}>{label}</span>
          {!item.enabled && (
            <Tag bordered={false} color="default">
              {t('dictionaries.disabledTag')}
            </Tag>
          )}
        </Space>
      ),
    },
    { title: t('dictionaries.code'), dataIndex: 'code', key: 'code', render: (v: string) => <Typography.Text type="secondary" className="mono">{v}</Typography.Text> },
    { title: t('dictionaries.sort'), dataIndex: 'sort', key: 'sort' },
    ...(kind === 'customer_status'
      ? [
          {
            title: t('dictionaries.nextCodes'),
            dataIndex: 'nextCodes',
            key: 'nextCodes',
            render: (codes: string[] | null) =>
              codes === null ? (
                <Typography.Text type="secondary">{t('dictionaries.nextAny')}</Typography.Text>
              ) : codes.length ? (
                <Space size={[4, 4]} wrap>
                  {codes.map((c) => (
                    <Tag key={c} bordered={false}>
                      {dict.label('customer_status', c)}
                    </Tag>
                  ))}
                </Space>
              ) : (
                <Typography.Text type="secondary">{t('dictionaries.nextNone')}</Typography.Text>
              ),
          },
        ]
      : []),
    {
      title: t('dictionaries.enabled'),
      dataIndex: 'enabled',
      key: 'enabled',
      render: (enabled: boolean, item) => (
        <Switch
          size="small"
          checked={enabled}
          loading={busy === `enable:${item.code}`}
          aria-label={t(enabled ? 'dictionaries.disable' : 'dictionaries.enable')}
          onChange={(on) => void run(`enable:${item.code}`, () => patch(item, { enabled: on }), t(on ? 'dictionaries.enabledMsg' : 'dictionaries.disabledMsg'))}
        />
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_: unknown, item) => {
        const siblings = siblingsOf(item);
        const index = siblings.findIndex((i) => i.code === item.code);
        return (
          <Space size={0} wrap>
            <Button
              type="link"
              size="small"
              icon={<ArrowUpOutlined />}
              disabled={index <= 0 || !!busy}
              onClick={() => move(item, -1)}
              aria-label={t('dictionaries.moveUp')}
              title={t('dictionaries.moveUp')}
            />
            <Button
              type="link"
              size="small"
              icon={<ArrowDownOutlined />}
              disabled={index >= siblings.length - 1 || !!busy}
              onClick={() => move(item, 1)}
              aria-label={t('dictionaries.moveDown')}
              title={t('dictionaries.moveDown')}
            />
            <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setDialog({ kind: 'edit', item })}>
              {t('common.edit')}
            </Button>
            {kind === 'industry' && !item.parentCode && (
              <Button type="link" size="small" icon={<PlusOutlined />} onClick={() => setDialog({ kind: 'create', parentCode: item.code })}>
                {t('dictionaries.addChild')}
              </Button>
            )}
          </Space>
        );
      },
    },
  ];

  return (
    <div data-testid={`dictionary-${kind}`}>
      <div className="tab-toolbar">
        <Typography.Text type="secondary">{t(`dictionaries.help.${kind}`)}</Typography.Text>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ kind: 'create' })} data-testid="dictionary-create">
          {t('dictionaries.create')}
        </Button>
      </div>
      <Table<Row>
        rowKey="code"
        columns={columns}
        dataSource={rows}
        loading={dict.isPending}
        pagination={false}
        scroll={{ x: 'max-content' }}
        size="middle"
        expandable={kind === 'industry' ? { defaultExpandAllRows: true } : undefined}
        key={kind === 'industry' ? `tree-${items.length}` : kind}
      />
      {dialog?.kind === 'create' && <CreateModal kind={kind} parentCode={dialog.parentCode} items={items} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'edit' && <EditModal kind={kind} item={dialog.item} items={items} onClose={() => setDialog(null)} />}
    </div>
  );
}

/** Settings › dictionaries: the choices of the customer and follow-up forms, per kind. */
export default function Dictionaries() {
  const { t } = useTranslation();
  const dict = useDictionaries();
  return (
    <PageContainer title={t('menu.dictionaries')} subTitle={t('dictionaries.subtitle')}>
      {dict.error && <Alert type="error" showIcon message={dict.error.message} className="list-error" />}
      <Card className="page-card">
        <Tabs
          items={DICTIONARY_KINDS.map((kind) => ({
            key: kind,
            label: t(`dictionaries.kinds.${kind}`),
            children: <KindPanel kind={kind} />,
          }))}
        />
      </Card>
    </PageContainer>
  );
}
