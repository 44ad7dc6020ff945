import { DeleteOutlined, DownOutlined, EditOutlined, SaveOutlined, SyncOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Checkbox, Dropdown, Form, Input, Modal, Select, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type SavedViewDto, ViewBody, type ViewEntity } from '../../common/schemas/views';
import { api } from '../api/client';
import { useSession } from '../app/session';
import { useSchemaForm, useShowError } from './form';

/** What a view keeps of a list: its query parameters, its sort ("field:order") and its columns. */
export type ViewState = Pick<SavedViewDto, 'filters' | 'sort' | 'columns'>;

const SAVED = 'saved:';
export const savedViewKey = (id: number) => `${SAVED}${id}`;
const viewsKey = (entity: ViewEntity) => ['views', entity] as const;

export function useSavedViews(entity: ViewEntity) {
  return useQuery({
    queryKey: viewsKey(entity),
    queryFn: () => api.get<{ items: SavedViewDto[] }>('/views', { entity }).then((r) => r.items),
  });
}

interface Props {
  entity: ViewEntity;
  /** The list's own views (全部, 我负责的...): key and label. */
  builtIns: { key: string; label: string }[];
  /** A built-in key, or savedViewKey(id). */
  selected: string;
  onSelect: (key: string, view: SavedViewDto | undefined) => void;
  /** The list as it is now, for saving it as a view. */
  current: () => ViewState;
}

const NameBody = ViewBody.pick({ name: true, shared: true });

/**
 * The view picker above a list (场景): built-in views, my views and the shared
 * ones; saving the current filters as a view (shared ones need view.share),
 * and renaming, overwriting or deleting the selected one.
 */
export function SavedViews({ entity, builtIns, selected, onSelect, current }: Props) {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message, modal } = App.useApp();
  const showError = useShowError();
  const queryClient = useQueryClient();
  const views = useSavedViews(entity);
  const [editing, setEditing] = useState<{ view?: SavedViewDto } | null>(null);
  const { form, field, submit, submitting } = useSchemaForm(NameBody);

  const view = selected.startsWith(SAVED) ? views.data?.find((v) => savedViewKey(v.id) === selected) : undefined;
  const mayChange = !!view && (view.mine || can('view.share'));
  const reload = () => queryClient.invalidateQueries({ queryKey: viewsKey(entity) });

  const save = submit(async ({ name, shared }) => {
    const old = editing?.view;
    if (old) {
      const changed = await api.put<SavedViewDto>(`/views/${old.id}`, { name, shared, filters: old.filters, columns: old.columns, sort: old.sort });
      await reload();
      onSelect(savedViewKey(changed.id), changed);
    } else {
      const created = await api.post<SavedViewDto>('/views', { name, shared, ...current() }, { query: { entity } });
      await reload();
      onSelect(savedViewKey(created.id), created);
    }
    message.success(t('views.saved'));
  }, () => setEditing(null));

  const overwrite = async (v: SavedViewDto) => {
    try {
      const changed = await api.put<SavedViewDto>(`/views/${v.id}`, { name: v.name, shared: v.shared, ...current() });
      await reload();
      onSelect(savedViewKey(changed.id), changed);
      message.success(t('views.saved'));
    } catch (err) {
      showError(err);
    }
  };

  const remove = (v: SavedViewDto) =>
    modal.confirm({
      title: t('views.deleteConfirm', { name: v.name }),
      okButtonProps: { danger: true },
      okText: t('common.delete'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await api.delete(`/views/${v.id}`);
          await reload();
          onSelect(builtIns[0]!.key, undefined);
          message.success(t('views.deleted'));
        } catch (err) {
          showError(err);
        }
      },
    });

  const group = (label: string, items: SavedViewDto[]) =>
    items.length ? [{ label, options: items.map((v) => ({ value: savedViewKey(v.id), label: v.mine ? v.name : `${v.name}（${v.ownerName}）` })) }] : [];
  const mine = (views.data ?? []).filter((v) => v.mine);
  const others = (views.data ?? []).filter((v) => !v.mine);

  return (
    <Space wrap className="saved-views" data-testid="saved-views">
      <Select
        value={selected}
        onChange={(key) => onSelect(key, views.data?.find((v) => savedViewKey(v.id) === key))}
        style={{ minWidth: 200 }}
        aria-label={t('views.picker')}
        data-testid="view-picker"
        loading={views.isPending}
        options={[
          { label: t('views.builtIn'), options: builtIns.map((b) => ({ value: b.key, label: b.label })) },
          ...group(t('views.mine'), mine),
          ...group(t('views.shared'), others),
        ]}
      />
      <Button
        icon={<SaveOutlined />}
        onClick={() => {
          form.setFieldsValue({ name: '', shared: false });
          setEditing({});
        }}
        data-testid="view-save"
      >
        {t('views.saveAs')}
      </Button>
      {mayChange && (
        <Dropdown
          trigger={['click']}
          menu={{
            items: [
              { key: 'overwrite', icon: <SyncOutlined />, label: t('views.overwrite'), onClick: () => void overwrite(view) },
              {
                key: 'rename',
                icon: <EditOutlined />,
                label: t('views.edit'),
                onClick: () => {
                  form.setFieldsValue({ name: view.name, shared: view.shared });
                  setEditing({ view });
                },
              },
              { key: 'delete', icon: <DeleteOutlined />, danger: true, label: t('common.delete'), onClick: () => remove(view) },
            ],
          }}
        >
          <Button data-testid="view-manage">
            {t('views.manage')} <DownOutlined />
          </Button>
        </Dropdown>
      )}
      <Modal
        open={!!editing}
        title={t(editing?.view ? 'views.editTitle' : 'views.saveTitle')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        onOk={() => form.submit()}
        onCancel={() => setEditing(null)}
        confirmLoading={submitting}
        okButtonProps={{ 'data-testid': 'view-form-submit' }}
        forceRender
      >
        <Form form={form} name="view" layout="vertical" onFinish={save}>
          <Form.Item label={t('views.name')} {...field('name')}>
            <Input maxLength={50} />
          </Form.Item>
          {(can('view.share') || editing?.view?.shared) && (
            <Form.Item name="shared" valuePropName="checked" extra={t('views.sharedHint')}>
              <Checkbox disabled={!can('view.share')}>{t('views.sharedLabel')}</Checkbox>
            </Form.Item>
          )}
        </Form>
      </Modal>
    </Space>
  );
}
