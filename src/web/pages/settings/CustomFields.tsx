import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Select, Space, Switch, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CUSTOM_FIELD_ENTITIES,
  CUSTOM_FIELD_TYPES,
  CustomFieldCreate,
  type CustomFieldDto,
  type CustomFieldEntity,
  type CustomFieldType,
  CustomFieldUpdate,
} from '../../../common/schemas/custom-fields';
import { api } from '../../api/client';
import { CUSTOM_FIELDS_KEY, useCustomFields } from '../../components/customFields';
import { changedFields, useSchemaForm } from '../../components/form';
import { FormModal } from '../../components/FormModal';
import { EnabledLabel, ItemsTab, RowActions, useOrderedItems } from '../../components/orderedSettings';
import { TabbedSettingsPage } from '../../components/TabbedSettingsPage';

const hasOptions = (type: CustomFieldType | undefined) => type === 'select' || type === 'multiselect';

/** A choice's stored value: made once, so renaming a choice keeps the records that hold it. */
const newOptionValue = () => `o${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** The choices of a select field: labels in order; add, remove, move. */
function OptionsEditor() {
  const { t } = useTranslation();
  return (
    <Form.List
      name="options"
      rules={[
        {
          validator: async (_, list: unknown[] | undefined) => {
            if (!list?.length) throw new Error(t('customFields.optionsRequired'));
          },
        },
      ]}
    >
      {(items, { add, remove, move }, { errors }) => (
        <div data-testid="custom-field-options">
          {items.map((item, i) => (
            <Space.Compact key={item.key} style={{ width: '100%', marginBottom: 8 }}>
              <Form.Item name={[item.name, 'value']} hidden>
                <Input />
              </Form.Item>
              <Form.Item
                name={[item.name, 'label']}
                noStyle
                rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 50, message: t('validation.maxLength', { max: 50 }) }]}
              >
                <Input placeholder={t('customFields.optionLabel', { n: i + 1 })} aria-label={t('customFields.optionLabel', { n: i + 1 })} maxLength={50} data-testid="custom-field-option" />
              </Form.Item>
              <Button icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => move(i, i - 1)} aria-label={t('dictionaries.moveUp')} title={t('dictionaries.moveUp')} />
              <Button icon={<ArrowDownOutlined />} disabled={i === items.length - 1} onClick={() => move(i, i + 1)} aria-label={t('dictionaries.moveDown')} title={t('dictionaries.moveDown')} />
              <Button icon={<DeleteOutlined />} danger onClick={() => remove(i)} aria-label={t('common.remove')} title={t('common.remove')} />
            </Space.Compact>
          ))}
          <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({ value: newOptionValue(), label: '' })} data-testid="custom-field-add-option">
            {t('customFields.addOption')}
          </Button>
          <Form.ErrorList errors={errors} />
        </div>
      )}
    </Form.List>
  );
}

/** Adds a field (its type is fixed from then on) or changes one: label, choices, required. */
function FieldModal({ entity, field: current, onClose }: { entity: CustomFieldEntity; field?: CustomFieldDto; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { form, field, submit, submitting } = useSchemaForm(current ? CustomFieldUpdate : CustomFieldCreate);
  const type = (Form.useWatch('type', form) as CustomFieldType | undefined) ?? current?.type;
  const initial = current ? { label: current.label, options: current.options, required: current.required } : { entity, type: 'text', options: [], required: false };
  const save = submit(async (data) => {
    const body = { ...data, options: hasOptions(type) ? data.options : undefined } as Record<string, unknown>;
    if (current) {
      const changes = changedFields(initial, body);
      if (Object.keys(changes).length) await api.patch(`/custom-fields/${current.id}`, changes);
    } else {
      await api.post('/custom-fields', body);
    }
    await queryClient.invalidateQueries({ queryKey: CUSTOM_FIELDS_KEY });
    message.success(t(current ? 'common.saved' : 'common.created'));
  }, onClose);

  return (
    <FormModal
      form={form}
      submitting={submitting}
      onClose={onClose}
      title={current ? t('customFields.edit', { label: current.label }) : t('customFields.create')}
      okButtonProps={{ 'data-testid': 'custom-field-submit' }}
    >
      <Form form={form} name="custom-field" layout="vertical" initialValues={initial} onFinish={save}>
        {!current && (
          <Form.Item name="entity" hidden>
            <Input />
          </Form.Item>
        )}
        <Form.Item label={t('customFields.label')} {...field('label')}>
          <Input maxLength={50} autoFocus data-testid="custom-field-label" />
        </Form.Item>
        <Form.Item label={t('customFields.type')} {...(current ? {} : { name: 'type' })} extra={t('customFields.typeHelp')}>
          {current ? (
            <Typography.Text>{t(`customFields.types.${current.type}`)}</Typography.Text>
          ) : (
            <Select<CustomFieldType>
              showSearch
              optionFilterProp="label"
              options={CUSTOM_FIELD_TYPES.map((v) => ({ value: v, label: t(`customFields.types.${v}`) }))}
              data-testid="custom-field-type"
            />
          )}
        </Form.Item>
        {hasOptions(type) && (
          <Form.Item label={t('customFields.options')} required extra={current ? t('customFields.optionsHelp') : undefined}>
            <OptionsEditor />
          </Form.Item>
        )}
        <Form.Item label={t('customFields.required')} {...field('required')} valuePropName="checked" extra={t('customFields.requiredHelp')}>
          <Switch data-testid="custom-field-required" />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

function EntityPanel({ entity }: { entity: CustomFieldEntity }) {
  const { t } = useTranslation();
  const fields = useCustomFields(entity);
  const [dialog, setDialog] = useState<{ field?: CustomFieldDto } | null>(null);
  const { busy, move, enabledColumn } = useOrderedItems<CustomFieldDto>({
    queryKey: CUSTOM_FIELDS_KEY,
    keyOf: (f) => f.key,
    patch: (f, body) => api.patch(`/custom-fields/${f.id}`, body),
  });

  const columns: ColumnsType<CustomFieldDto> = [
    {
      title: t('customFields.label'),
      dataIndex: 'label',
      key: 'label',
      render: (label: string, f) => <EnabledLabel label={label} enabled={f.enabled} />,
    },
    { title: t('customFields.type'), dataIndex: 'type', key: 'type', render: (v: CustomFieldType) => t(`customFields.types.${v}`) },
    {
      title: t('customFields.required'),
      dataIndex: 'required',
      key: 'required',
      render: (v: boolean) => (v ? <Tag color="red" bordered={false}>{t('customFields.required')}</Tag> : '-'),
    },
    {
      title: t('customFields.options'),
      dataIndex: 'options',
      key: 'options',
      render: (options: CustomFieldDto['options']) =>
        options.length ? (
          <Space size={[4, 4]} wrap>
            {options.map((o) => (
              <Tag key={o.value} bordered={false}>
                {o.label}
              </Tag>
            ))}
          </Space>
        ) : (
          '-'
        ),
    },
    enabledColumn,
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_: unknown, f, index) => (
        <RowActions index={index} count={fields.all.length} busy={busy} onMove={(by) => move(fields.all, index, by)} onEdit={() => setDialog({ field: f })} />
      ),
    },
  ];

  return (
    <ItemsTab<CustomFieldDto>
      testId={`custom-fields-${entity}`}
      help={t('customFields.help')}
      createLabel={t('customFields.create')}
      createTestId="custom-field-create"
      onCreate={() => setDialog({})}
      error={fields.error}
      rowKey="id"
      columns={columns}
      dataSource={fields.all}
      loading={fields.isPending}
    >
      {dialog && <FieldModal entity={entity} field={dialog.field} onClose={() => setDialog(null)} />}
    </ItemsTab>
  );
}

/** Settings › custom fields (SYS-1): the company's own fields of customers, contacts and leads. */
export default function CustomFields() {
  const { t } = useTranslation();
  return (
    <TabbedSettingsPage
      title={t('customFields.title')}
      subTitle={t('customFields.subtitle')}
      tabs={CUSTOM_FIELD_ENTITIES}
      label={(entity) => t(`customFields.entities.${entity}`)}
      panel={(entity) => <EntityPanel entity={entity} />}
    />
  );
}
