import { PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Col, type ColProps, DatePicker, type DescriptionsProps, Form, Input, InputNumber, Select, Space, Tag, Typography, Upload } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CUSTOM_FIELD_ENTITIES, type CustomFieldDto, type CustomFieldEntity } from '../../common/schemas/custom-fields';
import { API_BASE, api, ApiError } from '../api/client';
import type { Attachment } from '../api/types';
import { attachmentsQuery } from './Attachments';
import { type CustomValues, filterKind, type RangeValue } from './customFieldValues';
import { useFieldAccess } from './fieldAccess';
import { useShowError } from './form';
import { formatMoney } from './format';
import { fetchUser, UserSelect } from './UserSelect';

export { customFilterParam, customValuesBody, type CustomValues } from './customFieldValues';

export const CUSTOM_FIELDS_KEY = ['custom-fields'] as const;

/**
 * The custom fields (SYS-1) of customers, contacts or leads, loaded once per
 * entity and shared by forms, details, lists and the settings page: `all` in
 * their order (disabled ones included), `enabled` the ones offered for input
 * and display, without those the user's roles hide (ORG-6).
 */
export function useCustomFields(entity: CustomFieldEntity) {
  const access = useFieldAccess(entity);
  const query = useQuery({
    queryKey: [...CUSTOM_FIELDS_KEY, entity],
    queryFn: () => api.get<{ items: CustomFieldDto[] }>('/custom-fields', { entity }).then((r) => r.items),
    staleTime: 5 * 60_000,
    // an entity without custom fields (products, in the role editor) asks nothing
    enabled: (CUSTOM_FIELD_ENTITIES as readonly string[]).includes(entity),
  });
  const { data, isPending, error } = query;
  return useMemo(() => {
    const all = data ?? [];
    return { all, enabled: all.filter((f) => f.enabled && !access.hidden(f.key)), isPending, error };
  }, [data, isPending, error, access]);
}

/** The record a file field's upload belongs to; none while the record is being created. */
interface RecordRef {
  entity: CustomFieldEntity;
  recordId?: number;
}

/** Money as a grouped amount while typing: ¥ 1,234.5. */
const moneyFormatter = (v: string | undefined) => (v ? `¥ ${v}`.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : '');
const moneyParser = (v: string | undefined) => (v ?? '').replace(/[¥,\s]/g, '');

/** A file field: uploads into the record's files and keeps the file's id; a new record gets its files once saved. */
function FileInput({ value, onChange, entity, recordId, id }: RecordRef & { value?: number | null; onChange?: (v: number | null) => void; id?: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  if (!recordId) return <Typography.Text type="secondary">{t('customFields.fileAfterSave')}</Typography.Text>;
  const upload = async (file: File) => {
    setBusy(true);
    try {
      const a = await api.upload<Attachment>('/attachments', { entityType: entity, entityId: recordId, fileName: file.name }, file);
      await queryClient.invalidateQueries({ queryKey: attachmentsQuery(entity, recordId).queryKey });
      onChange?.(a.id);
    } catch (err) {
      if (err instanceof ApiError) message.error(err.message);
      else showError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space wrap id={id}>
      {value ? <FileLink id={value} entity={entity} recordId={recordId} /> : null}
      <Upload showUploadList={false} multiple={false} beforeUpload={(file) => (void upload(file), false)}>
        <Button icon={<UploadOutlined />} loading={busy}>
          {t(value ? 'customFields.replaceFile' : 'attachments.upload')}
        </Button>
      </Upload>
      {value ? (
        <Button type="link" danger onClick={() => onChange?.(null)}>
          {t('common.remove')}
        </Button>
      ) : null}
    </Space>
  );
}

/** The input for one custom field's value, in the shape the API takes (dates as YYYY-MM-DD, amounts as decimal strings). */
export function CustomFieldInput({
  field,
  value,
  onChange,
  entity,
  recordId,
  id,
  disabled,
}: RecordRef & { field: CustomFieldDto; value?: unknown; onChange?: (v: unknown) => void; id?: string; disabled?: boolean }) {
  const { t } = useTranslation();
  const common = { id, disabled, 'aria-label': field.label, 'data-testid': `custom-${field.key}` };
  const options = field.options.map((o) => ({ value: o.value, label: o.label }));
  switch (field.type) {
    case 'text':
      return <Input {...common} maxLength={2000} value={(value as string) ?? ''} onChange={(e) => onChange?.(e.target.value)} />;
    case 'number':
      return <InputNumber<number> {...common} value={(value as number) ?? null} onChange={(v) => onChange?.(v)} style={{ width: '100%' }} />;
    case 'money':
      return (
        <InputNumber<string>
          {...common}
          stringMode
          precision={2}
          value={value == null ? null : String(value)}
          onChange={(v) => onChange?.(v)}
          formatter={moneyFormatter}
          parser={moneyParser}
          style={{ width: '100%' }}
        />
      );
    case 'date':
      return (
        <DatePicker
          {...common}
          value={value ? dayjs(value as string) : null}
          onChange={(d: Dayjs | null) => onChange?.(d ? d.format('YYYY-MM-DD') : null)}
          style={{ width: '100%' }}
        />
      );
    case 'select':
    case 'multiselect':
      return (
        <Select
          {...common}
          mode={field.type === 'multiselect' ? 'multiple' : undefined}
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('customFields.choose')}
          value={value ?? undefined}
          onChange={(v) => onChange?.(v ?? null)}
          options={options}
          style={{ width: '100%' }}
        />
      );
    case 'user':
      return <UserSelect {...common} allowClear value={(value as number) ?? null} onChange={(v) => onChange?.(v)} />;
    case 'file':
      return <FileInput id={id} entity={entity} recordId={recordId} value={(value as number) ?? null} onChange={onChange} />;
  }
}

/**
 * The form items of an entity's enabled custom fields, each in a column of the
 * form's Row: the input for its type, the required mark and rule. Values live
 * under `name` (default `custom`): `custom.cf_x`, as the server names them in errors.
 */
export function CustomFieldItems({
  fields,
  entity,
  recordId,
  name = 'custom',
  col = { xs: 24, sm: 12 },
}: RecordRef & { fields: readonly CustomFieldDto[]; name?: string; col?: ColProps }) {
  const { t } = useTranslation();
  const access = useFieldAccess(entity);
  return (
    <>
      {fields.map((f) => (
        <Col key={f.key} {...(f.type === 'text' || f.type === 'file' ? { xs: 24 } : col)}>
          <Form.Item
            label={f.label}
            name={[name, f.key]}
            required={f.required}
            rules={f.required ? [{ required: true, message: t('validation.required') }] : []}
          >
            <CustomFieldInput field={f} entity={entity} recordId={recordId} disabled={access.readonly(f.key)} />
          </Form.Item>
        </Col>
      ))}
    </>
  );
}

function UserName({ id }: { id: number }) {
  // a user lookup the viewer may not be allowed to make still shows something
  const user = useQuery({ queryKey: ['users', 'name', id], queryFn: () => fetchUser(id), staleTime: 300_000, retry: false });
  return <>{user.data?.name ?? `#${id}`}</>;
}

function FileLink({ id, entity, recordId }: { id: number; entity: CustomFieldEntity; recordId: number }) {
  const files = useQuery(attachmentsQuery(entity, recordId));
  const file = files.data?.find((a) => a.id === id);
  if (!file) return <Typography.Text type="secondary">{files.isPending ? '…' : `#${id}`}</Typography.Text>;
  return (
    <a href={`${API_BASE}/attachments/${id}/download`} download={file.fileName}>
      <PaperClipOutlined /> {file.fileName}
    </a>
  );
}

/** One custom value for reading; `compact` (lists) shows a file as a mark instead of looking its name up. */
export function CustomValue({ field, value, entity, recordId, compact }: RecordRef & { field: CustomFieldDto; value: unknown; compact?: boolean }) {
  const label = (v: unknown) => field.options.find((o) => o.value === v)?.label ?? String(v);
  if (value === undefined || value === null || value === '') return <>-</>;
  switch (field.type) {
    case 'text':
      return <span className="pre-wrap">{String(value)}</span>;
    case 'number':
      return <>{Number(value).toLocaleString()}</>;
    case 'money':
      return <>{formatMoney(String(value))}</>;
    case 'date':
      return <>{String(value)}</>;
    case 'select':
      return <>{label(value)}</>;
    case 'multiselect':
      return (
        <Space size={[4, 4]} wrap>
          {(value as string[]).map((v) => (
            <Tag key={v} bordered={false}>
              {label(v)}
            </Tag>
          ))}
        </Space>
      );
    case 'user':
      return <UserName id={Number(value)} />;
    case 'file':
      return compact || !recordId ? <PaperClipOutlined aria-label={field.label} /> : <FileLink id={Number(value)} entity={entity} recordId={recordId} />;
  }
}

/** Whether a field shows for a record: enabled ones always, a disabled one while the record still holds a value. */
const shown = (f: CustomFieldDto, values: CustomValues) => f.enabled || values[f.key] !== undefined;

/** Description items of a record's custom values (`fields`: useCustomFields(entity).all), to append to its Descriptions. */
export function customDescriptionItems(fields: readonly CustomFieldDto[], entity: CustomFieldEntity, values: CustomValues, recordId: number): NonNullable<DescriptionsProps['items']> {
  return fields
    .filter((f) => shown(f, values))
    .map((f) => ({
      key: f.key,
      label: f.label,
      span: f.type === 'text' ? 'filled' : undefined,
      children: <CustomValue field={f} value={values[f.key]} entity={entity} recordId={recordId} />,
    }));
}

/** Table columns of the enabled custom fields, for a list of records that carry `custom`. */
export function customFieldColumns<Row extends { id: number; custom: CustomValues }>(fields: readonly CustomFieldDto[], entity: CustomFieldEntity): ColumnsType<Row> {
  return fields.map((f) => ({
    title: f.label,
    key: f.key,
    render: (_: unknown, row: Row) => <CustomValue field={f} value={row.custom[f.key]} entity={entity} recordId={row.id} compact />,
  }));
}

/** From–to inputs of a number or amount filter. */
function NumberRange({ value, onChange, label }: { value?: RangeValue; onChange?: (v: RangeValue | undefined) => void; label: string }) {
  const { t } = useTranslation();
  const [from, to] = value ?? [undefined, undefined];
  const set = (next: RangeValue) => onChange?.(next.every((x) => x == null) ? undefined : next);
  return (
    <Space.Compact style={{ width: '100%' }}>
      <InputNumber<number> value={(from as number) ?? null} onChange={(v) => set([v, to])} placeholder={`${label} ${t('customFields.from')}`} aria-label={`${label} ${t('customFields.from')}`} style={{ width: '50%' }} />
      <InputNumber<number> value={(to as number) ?? null} onChange={(v) => set([from, v])} placeholder={t('customFields.to')} aria-label={`${label} ${t('customFields.to')}`} style={{ width: '50%' }} />
    </Space.Compact>
  );
}

/** The filter input of one custom field in a list's filter bar (see `filterKind`). */
function CustomFilterInput({ field, value, onChange }: { field: CustomFieldDto; value?: unknown; onChange?: (v: unknown) => void }) {
  const common = { 'aria-label': field.label, placeholder: field.label, 'data-testid': `custom-filter-${field.key}` };
  switch (filterKind(field.type)) {
    case 'contains':
      return <Input {...common} allowClear value={(value as string) ?? ''} onChange={(e) => onChange?.(e.target.value)} />;
    case 'in':
      return (
        <Select<string[]>
          {...common}
          mode="multiple"
          allowClear
          optionFilterProp="label"
          maxTagCount="responsive"
          value={(value as string[]) ?? []}
          onChange={(v) => onChange?.(v)}
          options={field.options.map((o) => ({ value: o.value, label: o.label }))}
          style={{ width: '100%' }}
        />
      );
    case 'eq':
      return <UserSelect {...common} allowClear value={(value as number) ?? null} onChange={(v) => onChange?.(v)} />;
    case 'range':
      if (field.type !== 'date') return <NumberRange label={field.label} value={value as RangeValue} onChange={onChange} />;
      return (
        <DatePicker.RangePicker
          aria-label={field.label}
          allowEmpty={[true, true]}
          value={value ? ((value as RangeValue).map((d) => (d ? dayjs(String(d)) : null)) as [Dayjs | null, Dayjs | null]) : null}
          onChange={(r) => onChange?.(r && (r[0] || r[1]) ? [r[0]?.format('YYYY-MM-DD'), r[1]?.format('YYYY-MM-DD')] : undefined)}
          placeholder={[field.label, field.label]}
          style={{ width: '100%' }}
        />
      );
    default:
      return null;
  }
}

/**
 * List filter items of the enabled custom fields that can be filtered on, for
 * ListPage's `moreFilters`; each is named by its field's key, and
 * `customFilterParam` turns their values into the `custom` query parameter.
 */
export function customFilterItems(fields: readonly CustomFieldDto[]) {
  return fields
    .filter((f) => filterKind(f.type))
    .map((f) => (
      <Form.Item name={f.key} key={f.key}>
        <CustomFilterInput field={f} />
      </Form.Item>
    ));
}
