import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, InputNumber, Radio, Select, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DICTIONARY_KINDS, DictionaryItemCreate, DictionaryItemUpdate } from '../../../common/schemas/dictionaries';
import { api } from '../../api/client';
import type { DictionaryItemDto, DictionaryKind } from '../../api/types';
import { DICTIONARIES_KEY, useDictionaries } from '../../components/dictionaries';
import { changedFields, useSchemaForm } from '../../components/form';
import { FormModal } from '../../components/FormModal';
import { EnabledLabel, ItemsTab, RowActions, useOrderedItems } from '../../components/orderedSettings';
import { TabbedSettingsPage } from '../../components/TabbedSettingsPage';

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
    <FormModal
      form={form}
      submitting={submitting}
      onClose={onClose}
      title={t(parentCode ? 'dictionaries.createChild' : 'dictionaries.create')}
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
    </FormModal>
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
    <FormModal
      form={form}
      submitting={submitting}
      onClose={onClose}
      title={t('dictionaries.edit', { label: item.label })}
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
    </FormModal>
  );
}

function KindPanel({ kind }: { kind: DictionaryKind }) {
  const { t } = useTranslation();
  const dict = useDictionaries();
  const [dialog, setDialog] = useState<{ kind: 'create'; parentCode?: string } | { kind: 'edit'; item: DictionaryItemDto } | null>(null);
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

  const { busy, move, enabledColumn } = useOrderedItems<DictionaryItemDto>({
    queryKey: DICTIONARIES_KEY,
    keyOf: (item) => item.code,
    patch: (item, body) => api.patch(`/dictionaries/${kind}/${item.code}`, body),
  });

  const siblingsOf = (item: DictionaryItemDto) => items.filter((i) => (i.parentCode ?? null) === (item.parentCode ?? null));

  const columns: ColumnsType<Row> = [
    {
      title: t('dictionaries.label'),
      dataIndex: 'label',
      key: 'label',
      render: (label: string, item) => <EnabledLabel label={label} enabled={item.enabled} />,
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
    enabledColumn,
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_: unknown, item) => {
        const siblings = siblingsOf(item);
        const index = siblings.findIndex((i) => i.code === item.code);
        return (
          <RowActions index={index} count={siblings.length} busy={busy} onMove={(by) => move(siblings, index, by)} onEdit={() => setDialog({ kind: 'edit', item })}>
            {kind === 'industry' && !item.parentCode && (
              <Button type="link" size="small" icon={<PlusOutlined />} onClick={() => setDialog({ kind: 'create', parentCode: item.code })}>
                {t('dictionaries.addChild')}
              </Button>
            )}
          </RowActions>
        );
      },
    },
  ];

  return (
    <ItemsTab<Row>
      testId={`dictionary-${kind}`}
      help={t(`dictionaries.help.${kind}`)}
      createLabel={t('dictionaries.create')}
      createTestId="dictionary-create"
      onCreate={() => setDialog({ kind: 'create' })}
      rowKey="code"
      columns={columns}
      dataSource={rows}
      loading={dict.isPending}
      expandable={kind === 'industry' ? { defaultExpandAllRows: true } : undefined}
      tableKey={kind === 'industry' ? `tree-${items.length}` : kind}
    >
      {dialog?.kind === 'create' && <CreateModal kind={kind} parentCode={dialog.parentCode} items={items} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'edit' && <EditModal kind={kind} item={dialog.item} items={items} onClose={() => setDialog(null)} />}
    </ItemsTab>
  );
}

/** Settings › dictionaries: the choices of the customer and follow-up forms, per kind. */
export default function Dictionaries() {
  const { t } = useTranslation();
  const dict = useDictionaries();
  return (
    <TabbedSettingsPage
      title={t('menu.dictionaries')}
      subTitle={t('dictionaries.subtitle')}
      tabs={DICTIONARY_KINDS}
      label={(kind) => t(`dictionaries.kinds.${kind}`)}
      panel={(kind) => <KindPanel kind={kind} />}
    >
      {dict.error && <Alert type="error" showIcon message={dict.error.message} className="list-error" />}
    </TabbedSettingsPage>
  );
}
