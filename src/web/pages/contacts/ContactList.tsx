import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input, Select, Space } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, type QueryParams } from '../../api/client';
import type { ContactDto, Page } from '../../api/types';
import { useSession } from '../../app/session';
import { customFieldColumns, customFilterItems, customFilterParam, useCustomFields } from '../../components/customFields';
import { useFieldAccess, withoutHidden } from '../../components/fieldAccess';
import { DictSelect, useDictionaries } from '../../components/dictionaries';
import { ExportButton, exportedColumns, useLatestParams } from '../../components/ExportButton';
import { ImportButton } from '../../components/ImportWizard';
import { formatTime } from '../../components/format';
import { ListPage } from '../../components/ListPage';
import { PageContainer } from '../../components/PageContainer';
import { ContactDrawer } from './ContactDrawer';
import { ContactFormModal } from './ContactFormModal';
import { CONTACT_LIFECYCLES, type Lifecycle, LifecycleTag, PrimaryTag, useContactParam } from './contacts';

interface Filters {
  q?: string;
  roleCode?: string | null;
  lifecycle?: Lifecycle;
  /** Custom-field filters, named by their keys. */
  [key: `cf_${string}`]: unknown;
}

/** The contacts of every customer the user can see; a row opens the contact's drawer. */
export default function ContactList() {
  const { t } = useTranslation();
  const { can } = useSession();
  const dict = useDictionaries();
  const [creating, setCreating] = useState(false);
  const [openId, setOpenId] = useContactParam();
  const customFields = useCustomFields('contact');
  const toParams = useCallback(
    (f: Filters): QueryParams => ({ q: f.q?.trim(), roleCode: f.roleCode, lifecycle: f.lifecycle, custom: customFilterParam(customFields.enabled, f) }),
    [customFields.enabled],
  );
  const listParams = useLatestParams();
  const queryClient = useQueryClient();

  const access = useFieldAccess('contact');
  const columns = useMemo<ColumnsType<ContactDto>>(
    () => withoutHidden(access, [
      {
        title: t('contacts.name'),
        dataIndex: 'name',
        key: 'name',
        sorter: true,
        render: (name: string, k) => (
          <Space size={4}>
            <Button type="link" className="link-button" onClick={() => setOpenId(k.id)}>
              {name}
            </Button>
            {k.isPrimary && <PrimaryTag />}
          </Space>
        ),
      },
      {
        title: t('contacts.customer'),
        dataIndex: 'customerName',
        key: 'customer',
        render: (v: string, k) => <Link to={`/customers/${k.customerId}`}>{v}</Link>,
      },
      { title: t('contacts.title'), dataIndex: 'title', key: 'title', render: (v: string | null) => v ?? '-' },
      { title: t('contacts.role'), dataIndex: 'roleCode', key: 'role', render: (v: string | null) => dict.label('contact_role', v) ?? '-' },
      { title: t('contacts.mobile'), dataIndex: 'mobile', key: 'mobile', render: (v: string | null) => v ?? '-' },
      { title: t('contacts.phone'), dataIndex: 'phone', key: 'phone', render: (v: string | null) => v ?? '-' },
      { title: t('contacts.email'), dataIndex: 'email', key: 'email', render: (v: string | null) => v ?? '-' },
      { title: t('contacts.lifecycle'), dataIndex: 'lifecycle', key: 'lifecycle', render: (v: Lifecycle) => <LifecycleTag value={v} /> },
      ...customFieldColumns<ContactDto>(customFields.enabled, 'contact'),
      { title: t('common.updatedAt'), dataIndex: 'updatedAt', key: 'updatedAt', sorter: true, render: formatTime },
    ]),
    [t, dict, setOpenId, customFields.enabled, access],
  );

  const filters = [
    <Form.Item name="q" key="q">
      <Input.Search allowClear placeholder={t('contacts.searchPlaceholder')} aria-label={t('contacts.searchPlaceholder')} />
    </Form.Item>,
    <Form.Item name="roleCode" key="role">
      <DictSelect kind="contact_role" all allowClear placeholder={t('contacts.role')} aria-label={t('contacts.role')} />
    </Form.Item>,
    <Form.Item name="lifecycle" key="lifecycle">
      <Select<Lifecycle>
        allowClear
        placeholder={t('contacts.lifecycle')}
        aria-label={t('contacts.lifecycle')}
        options={CONTACT_LIFECYCLES.map((l) => ({ value: l, label: t(`contacts.lifecycles.${l}`) }))}
      />
    </Form.Item>,
  ];

  return (
    <PageContainer
      title={t('menu.contacts')}
      extra={
        <Space>
          {can('contact.export') && (
            <ExportButton
              path="/contacts/export"
              testId="contact-export"
              params={listParams.current}
              columns={exportedColumns(columns.map((c) => String(c.key)), customFields.enabled)}
            />
          )}
          <ImportButton entity="contact" onDone={() => void queryClient.invalidateQueries({ queryKey: ['contacts'] })} />
          {can('contact.create') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="contact-create">
              {t('contacts.create')}
            </Button>
          )}
        </Space>
      }
    >
      <ListPage<ContactDto, Filters>
        testId="contact-list"
        queryKey="contacts"
        fetchPage={(p) => api.get<Page<ContactDto>>('/contacts', p)}
        fetchTotal={(p) => api.get<{ total: number }>('/contacts/count', p).then((r) => r.total)}
        columns={columns}
        rowKey="id"
        filters={filters}
        moreFilters={customFilterItems(customFields.enabled)}
        toParams={toParams}
        onParamsChange={listParams.track}
        defaultSort={{ field: 'updatedAt', order: 'desc' }}
      />
      {creating && <ContactFormModal onClose={() => setCreating(false)} onSaved={(k) => setOpenId(k.id)} />}
      {openId && <ContactDrawer contactId={openId} onClose={() => setOpenId(null)} />}
    </PageContainer>
  );
}
