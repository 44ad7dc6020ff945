import { DeleteOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Empty, List, Popconfirm, Progress, Skeleton, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { API_BASE, api, ApiError } from '../api/client';
import type { Attachment, AttachmentEntity } from '../api/types';
import { useMe } from '../app/session';
import { useShowError } from './form';
import { formatTime } from './format';

/** 1536 → "1.5 KB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The files of a record, cached under one key for the file list and the file custom fields that name them. */
export const attachmentsQuery = (entityType: AttachmentEntity, entityId: number) => ({
  queryKey: ['attachments', entityType, entityId],
  queryFn: () => api.get<{ items: Attachment[] }>('/attachments', { entityType, entityId }).then((r) => r.items),
});

interface Props {
  entityType: AttachmentEntity;
  entityId: number;
  /** May upload and delete (the record's write access). */
  writable: boolean;
}

/**
 * The files of a record: a list with download links, an upload button with its
 * progress (the server checks type and size and says why it refuses), delete.
 */
export function Attachments({ entityType, entityId, writable }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const showError = useShowError();
  const queryClient = useQueryClient();
  const [progress, setProgress] = useState<{ name: string; percent: number } | null>(null);
  const query = attachmentsQuery(entityType, entityId);
  const key = query.queryKey;
  const list = useQuery(query);

  const upload = async (file: File) => {
    setProgress({ name: file.name, percent: 0 });
    try {
      await api.upload<Attachment>('/attachments', { entityType, entityId, fileName: file.name }, file, (percent) =>
        setProgress({ name: file.name, percent }),
      );
      await queryClient.invalidateQueries({ queryKey: key });
      message.success(t('attachments.uploaded', { name: file.name }));
    } catch (err) {
      // the server's message says why (type, size); its field detail adds nothing for a file
      if (err instanceof ApiError) message.error(err.message);
      else showError(err);
    } finally {
      setProgress(null);
    }
  };

  const remove = async (a: Attachment) => {
    try {
      await api.delete(`/attachments/${a.id}`);
      await queryClient.invalidateQueries({ queryKey: key });
      message.success(t('common.deleted'));
    } catch (err) {
      showError(err);
    }
  };

  return (
    <div className="attachments" data-testid="attachments">
      {writable && (
        <div className="attachments-upload">
          <Upload
            showUploadList={false}
            multiple={false}
            disabled={!!progress}
            beforeUpload={(file) => {
              void upload(file);
              return false;
            }}
          >
            <Button icon={<UploadOutlined />} loading={!!progress} data-testid="attachment-upload">
              {t('attachments.upload')}
            </Button>
          </Upload>
          <Typography.Text type="secondary" className="attachments-help">
            {t('attachments.help')}
          </Typography.Text>
          {progress && (
            <div className="attachments-progress" data-testid="attachment-progress">
              <Typography.Text ellipsis>{progress.name}</Typography.Text>
              <Progress percent={progress.percent} size="small" />
            </div>
          )}
        </div>
      )}
      {list.error && <Alert type="error" showIcon message={list.error.message} />}
      {list.isPending ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : !list.data?.length ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('attachments.empty')} />
      ) : (
        <List
          size="small"
          dataSource={list.data}
          renderItem={(a) => (
            <List.Item
              data-testid="attachment-item"
              actions={
                writable || a.uploadedBy === me.user.id
                  ? [
                      <Popconfirm
                        key="delete"
                        title={t('attachments.deleteConfirm', { name: a.fileName })}
                        okText={t('common.delete')}
                        cancelText={t('common.cancel')}
                        okButtonProps={{ danger: true }}
                        onConfirm={() => remove(a)}
                      >
                        <Button type="text" danger size="small" icon={<DeleteOutlined />} aria-label={t('common.delete')} title={t('common.delete')} />
                      </Popconfirm>,
                    ]
                  : []
              }
            >
              <List.Item.Meta
                avatar={<PaperClipOutlined className="muted-icon" />}
                title={
                  <a href={`${API_BASE}/attachments/${a.id}/download`} download={a.fileName} className="attachment-name">
                    {a.fileName}
                  </a>
                }
                description={t('attachments.meta', { size: formatSize(a.size), who: a.uploadedByName ?? '-', time: formatTime(a.createdAt) })}
              />
            </List.Item>
          )}
        />
      )}
    </div>
  );
}
