import { ArrowRightOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { RelationRole } from '../../common/schemas/customer-relations';
import type { CustomerDto, DictionaryKind, FieldChange } from '../api/types';
import { useSession } from '../app/session';
import { dynamicLabel, moduleLabel, permissionLabel, scopeLabel } from '../i18n';
import { useDepartments } from './departments';
import { useDictionaries } from './dictionaries';
import { formatRegion, type RegionNode, useRegions } from './regions';
import { fetchUser } from './UserSelect';

/** A user id as the user's name (when the viewer may look users up). */
function UserName({ id }: { id: number }) {
  const { can } = useSession();
  const { data } = useQuery({
    queryKey: ['users', 'one', id],
    queryFn: () => fetchUser(id),
    enabled: can('user.view'),
    staleTime: 300_000,
  });
  return <>{data?.name ?? `#${id}`}</>;
}

function DepartmentName({ id }: { id: number }) {
  const { can } = useSession();
  const { data } = useDepartments(can('department.view'));
  return <>{data?.find((d) => d.id === id)?.name ?? `#${id}`}</>;
}

function CustomerName({ id }: { id: number }) {
  const { can } = useSession();
  const { data } = useQuery({
    queryKey: ['customers', 'option', id],
    queryFn: () => api.get<CustomerDto>(`/customers/${id}`),
    enabled: can('customer.view'),
    staleTime: 300_000,
    retry: false,
  });
  return <>{data?.name ?? `#${id}`}</>;
}

/** The names along a region code's path (a district code names its province and city too). */
function regionNames(tree: RegionNode[] | undefined, code: string): string[] | undefined {
  for (const node of tree ?? []) {
    if (node.code === code) return [node.name];
    const inner = regionNames(node.children, code);
    if (inner) return [node.name, ...inner];
  }
  return undefined;
}

/** A region code as its name; `full` names the path down to it (广东省 / 深圳市 / 南山区). */
function RegionName({ code, full }: { code: string; full?: boolean }) {
  const { data } = useRegions();
  const names = regionNames(data, code);
  if (!names) return <>{code}</>;
  return <>{full ? formatRegion(names) : names[names.length - 1]}</>;
}

interface AddressValue {
  tag?: string;
  provinceCode?: string | null;
  cityCode?: string | null;
  districtCode?: string | null;
  detail?: string | null;
  postcode?: string | null;
  isDefault?: boolean;
}

/** One address of a customer's address list, as one line. */
function AddressLine({ a }: { a: AddressValue }) {
  const { t } = useTranslation();
  const region = a.districtCode ?? a.cityCode ?? a.provinceCode;
  return (
    <span className="change-address">
      {a.tag && t('common.labelled', { label: dynamicLabel('customers.addresses.tags', a.tag), text: '' })}
      {region && <RegionName code={region} full />}
      {a.detail && ` ${a.detail}`}
      {a.postcode && ` ${t('customers.addresses.postcodeShort', { code: a.postcode })}`}
      {a.isDefault && ` (${t('customers.addresses.default')})`}
    </span>
  );
}

const isBlank = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

const USER_FIELDS = new Set(['ownerId', 'superiorId']);
const DEPARTMENT_FIELDS = new Set(['departmentId', 'parentId']);
const CUSTOMER_FIELDS = new Set(['customerId']);
const REGION_FIELDS = new Set(['provinceCode', 'cityCode', 'districtCode']);
/** Fields that hold a dictionary code, and their dictionary. */
const DICTIONARY_FIELDS: Record<string, DictionaryKind> = {
  industryCode: 'industry',
  sourceCode: 'customer_source',
  levelCode: 'customer_level',
  statusCode: 'customer_status',
  roleCode: 'contact_role',
  typeCode: 'followup_type',
  // a status's allowed next statuses (dictionary changes)
  nextCodes: 'customer_status',
};
/** Fields whose values have labels of their own. */
const LABELLED_FIELDS: Record<string, 'customers.kinds' | 'contacts.lifecycles'> = {
  kind: 'customers.kinds',
  lifecycle: 'contacts.lifecycles',
};

/** "team:12" and "share:12": a team member or a share of user 12. */
function memberField(field: string): { kind: 'team' | 'share'; userId: number } | undefined {
  const m = /^(team|share):(\d+)$/.exec(field);
  return m ? { kind: m[1] as 'team' | 'share', userId: Number(m[2]) } : undefined;
}

function Value({ field, value }: { field: string; value: unknown }) {
  const { t } = useTranslation();
  const dict = useDictionaries();
  if (value === null || value === undefined || value === '') return <Typography.Text type="secondary">{t('audit.empty')}</Typography.Text>;
  if (typeof value === 'number' && USER_FIELDS.has(field)) return <UserName id={value} />;
  if (typeof value === 'number' && DEPARTMENT_FIELDS.has(field)) return <DepartmentName id={value} />;
  if (typeof value === 'number' && CUSTOMER_FIELDS.has(field)) return <CustomerName id={value} />;
  if (typeof value === 'string' && REGION_FIELDS.has(field)) return <RegionName code={value} />;
  if (typeof value === 'boolean') return <>{t(value ? 'common.yes' : 'common.no')}</>;
  if (field === 'addresses' && Array.isArray(value)) {
    if (!value.length) return <>{t('audit.empty')}</>;
    return (
      <span className="change-addresses">
        {(value as AddressValue[]).map((a, i) => (
          <AddressLine key={i} a={a} />
        ))}
      </span>
    );
  }
  const dictKind = DICTIONARY_FIELDS[field];
  if (Array.isArray(value)) {
    const labels = value.map((v) =>
      field === 'permissions' ? permissionLabel(String(v)) : dictKind ? (dict.label(dictKind, String(v)) ?? String(v)) : String(v),
    );
    return <>{labels.length ? labels.join(t('common.listSeparator')) : t('audit.empty')}</>;
  }
  if (dictKind && typeof value === 'string') return <>{dict.label(dictKind, value)}</>;
  const labelled = LABELLED_FIELDS[field];
  if (labelled && typeof value === 'string') return <>{dynamicLabel(labelled, value)}</>;
  if (field === 'relation' && typeof value === 'object') {
    // a customer relation (CUS-5): the other customer in its role
    const r = value as { role: RelationRole; customerName: string | null };
    return <>{t('common.pair', { key: t(`relations.roles.${r.role}`), value: r.customerName ?? t('relations.hidden') })}</>;
  }
  if (typeof value === 'object') {
    // data scopes: { customer: 'self' }
    return (
      <>
        {Object.entries(value as Record<string, unknown>)
          .map(([k, v]) => t('common.pair', { key: moduleLabel(k), value: scopeLabel(String(v)) }))
          .join(t('common.listSeparator'))}
      </>
    );
  }
  const text = String(value);
  if (field === 'gender' || field === 'status' || memberField(field)) return <>{dynamicLabel('audit.values', text)}</>;
  return <>{text}</>;
}

/** Permission lists change by a few codes: show what was added and removed rather than two long lists. */
function ListDiff({ before, after }: { before: unknown[]; after: unknown[] }) {
  const added = after.filter((v) => !before.includes(v));
  const removed = before.filter((v) => !after.includes(v));
  return (
    <span className="change-diff">
      {added.map((v) => (
        <Tag key={`+${String(v)}`} color="green">
          + {permissionLabel(String(v))}
        </Tag>
      ))}
      {removed.map((v) => (
        <Tag key={`-${String(v)}`} color="red">
          − {permissionLabel(String(v))}
        </Tag>
      ))}
    </span>
  );
}

function FieldLabel({ field }: { field: string }) {
  const { t } = useTranslation();
  const member = memberField(field);
  if (member) {
    return (
      <>
        {t(member.kind === 'team' ? 'audit.teamMember' : 'audit.sharedWith')} <UserName id={member.userId} />
      </>
    );
  }
  return <>{dynamicLabel('audit.fields', field)}</>;
}

/** The field changes of an operation log entry: "field: before → after". */
export function ChangeLog({ changes: all }: { changes: FieldChange[] }) {
  // "nothing → nothing" (a new record's empty tag list) says nothing
  const changes = all.filter((c) => !(isBlank(c.before) && isBlank(c.after)));
  if (!changes.length) return <Typography.Text type="secondary">-</Typography.Text>;
  return (
    <ul className="change-log">
      {changes.map((c) => {
        let body: ReactNode;
        if (c.field === 'permissions' && Array.isArray(c.before) && Array.isArray(c.after))
          body = <ListDiff before={c.before} after={c.after} />;
        else if (c.before === null) body = <Value field={c.field} value={c.after} />;
        else
          body = (
            <>
              <Value field={c.field} value={c.before} /> <ArrowRightOutlined className="change-arrow" />{' '}
              <Value field={c.field} value={c.after} />
            </>
          );
        return (
          <li key={c.field}>
            <span className="change-field">
              <FieldLabel field={c.field} />
            </span>
            {body}
          </li>
        );
      })}
    </ul>
  );
}
