import { DownloadOutlined, HistoryOutlined, InboxOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Descriptions, Modal, Progress, Space, Steps, Typography, Upload } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExportFormat } from '../../common/schemas/exchange';
import {
  type DuplicateMode,
  IMPORT_MAX_BYTES,
  type ImportDraftDto,
  type ImportEntity,
  type ImportJobDto,
  type ImportSettings,
} from '../../common/schemas/imports';
import { api, ApiError } from '../api/client';
import { useSession } from '../app/session';
import { formatSize } from './Attachments';
import { useShowError } from './form';
import { historyKey, ImportHistory } from './import/ImportHistory';
import { hasProblems, importPermission, isActive, mappingProblems } from './import/importUtils';
import { MappingStep } from './import/MappingStep';
import { PreviewStep } from './import/PreviewStep';
import { RunStep } from './import/RunStep';

interface ImportButtonProps {
  entity: ImportEntity;
  /** Records were (or may have been) imported or undone: the list reloads. */
  onDone: () => void;
}

const jobKey = (id: number | null) => ['imports', 'job', id] as const;

/**
 * 导入 (CUS-16): a button on the customer, contact, lead, product and
 * opportunity lists, shown to those with the entity's import permission, that
 * opens the import wizard.
 * The wizard's state lives here, not in the dialog: closing the dialog while
 * an import runs keeps following it (the button shows its progress), and
 * opening it again shows the import where it is.
 */
export function ImportButton({ entity, onDone }: ImportButtonProps) {
  const { can } = useSession();
  if (!can(importPermission(entity))) return null;
  return <ImportWizard entity={entity} onDone={onDone} />;
}

function ImportWizard({ entity, onDone }: ImportButtonProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [historyOpen, setHistoryOpen] = useState(false);
  const [step, setStep] = useState(0);
  const [uploading, setUploading] = useState<{ name: string; percent: number } | null>(null);
  const [draft, setDraft] = useState<ImportDraftDto | null>(null);
  const [mapping, setMapping] = useState<(string | null)[]>([]);
  const [duplicates, setDuplicates] = useState<DuplicateMode>('skip');
  const [ownerId, setOwnerId] = useState<number | null>(null);
  const [jobId, setJobId] = useState<number | null>(null);
  const [starting, setStarting] = useState(false);

  const job = useQuery({
    queryKey: jobKey(jobId),
    queryFn: () => api.get<ImportJobDto>(`/imports/${jobId}`),
    enabled: jobId !== null,
    refetchInterval: (q) => (isActive(q.state.data?.status) ? 1000 : false),
    refetchIntervalInBackground: true,
  });
  const running = isActive(job.data?.status);

  const problems = useMemo(() => mappingProblems(draft?.fields ?? [], mapping), [draft, mapping]);
  const settings = useMemo<ImportSettings>(() => ({ mapping, duplicates, ownerId }), [mapping, duplicates, ownerId]);

  const reset = () => {
    setStep(0);
    setDraft(null);
    setMapping([]);
    setDuplicates('skip');
    setOwnerId(null);
    setJobId(null);
  };

  // an import or undo that ends reloads the list; while the dialog is closed: say so, start afresh next time
  const lastStatus = useRef(job.data?.status);
  useEffect(() => {
    const before = lastStatus.current;
    const now = job.data?.status;
    lastStatus.current = now;
    if (isActive(before) && now && !isActive(now) && job.data) {
      onDone();
      if (open) return;
      if (now === 'completed') message.success(t('imports.backgroundDone', { name: job.data.fileName }));
      void queryClient.invalidateQueries({ queryKey: historyKey(entity) });
      reset();
    }
    // only the status matters: the rest of the job changes on every poll
  }, [job.data?.status]);

  const close = () => {
    setOpen(false);
    if (jobId === null) {
      reset();
      return;
    }
    // records were imported (or are being): the list shows them
    onDone();
    void queryClient.invalidateQueries({ queryKey: historyKey(entity) });
    if (!running) reset();
  };

  const upload = async (file: File) => {
    if (!/\.(xlsx|csv)$/i.test(file.name)) {
      message.error(t('imports.wrongType'));
      return;
    }
    if (file.size > IMPORT_MAX_BYTES) {
      message.error(t('imports.tooLarge', { size: formatSize(IMPORT_MAX_BYTES) }));
      return;
    }
    setUploading({ name: file.name, percent: 0 });
    try {
      const d = await api.upload<ImportDraftDto>('/imports', { entity, fileName: file.name }, file, (percent) =>
        setUploading({ name: file.name, percent }),
      );
      setDraft(d);
      setMapping(d.headers.map((_, i) => d.mapping[i] ?? null));
      setDuplicates('skip');
      setOwnerId(null);
    } catch (err) {
      // the server says why (type, size, unreadable file); field details add nothing for a file
      if (err instanceof ApiError) message.error(err.message);
      else showError(err);
    } finally {
      setUploading(null);
    }
  };

  const template = async (format: ExportFormat) => {
    try {
      await api.download('/imports/template', { entity, format });
    } catch (err) {
      showError(err);
    }
  };

  const start = async () => {
    if (!draft) return;
    setStarting(true);
    try {
      const started = await api.post<ImportJobDto>(`/imports/${draft.id}/start`, settings);
      queryClient.setQueryData(jobKey(started.id), started);
      lastStatus.current = started.status;
      setJobId(started.id);
      setStep(3);
    } catch (err) {
      showError(err);
    } finally {
      setStarting(false);
    }
  };

  const entityName = t(`imports.entities.${entity}`);
  const blocked = hasProblems(problems);

  const footer = (
    <Space>
      {step === 1 || step === 2 ? (
        <Button onClick={() => setStep(step - 1)} data-testid="import-prev">
          {t('imports.prev')}
        </Button>
      ) : null}
      {step === 0 && (
        <Button type="primary" disabled={!draft || !!uploading} onClick={() => setStep(1)} data-testid="import-next">
          {t('imports.next')}
        </Button>
      )}
      {step === 1 && (
        <Button type="primary" disabled={blocked} onClick={() => setStep(2)} data-testid="import-next">
          {t('imports.next')}
        </Button>
      )}
      {step === 2 && (
        <Button type="primary" disabled={blocked} loading={starting} onClick={() => void start()} data-testid="import-start">
          {t('imports.start')}
        </Button>
      )}
      {step === 3 && (
        <Button type={running ? 'default' : 'primary'} onClick={close} data-testid="import-close">
          {t('imports.close')}
        </Button>
      )}
    </Space>
  );

  const uploadStep = (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space wrap>
        <Typography.Text>{t('imports.template')}</Typography.Text>
        <Button type="link" icon={<DownloadOutlined />} onClick={() => void template('xlsx')} data-testid="import-template-xlsx">
          {t('imports.templateXlsx')}
        </Button>
        <Button type="link" icon={<DownloadOutlined />} onClick={() => void template('csv')} data-testid="import-template-csv">
          {t('imports.templateCsv')}
        </Button>
      </Space>
      <div data-testid="import-upload">
        <Upload.Dragger
          accept=".xlsx,.csv"
          multiple={false}
          showUploadList={false}
          disabled={!!uploading}
          beforeUpload={(file) => {
            void upload(file);
            return false;
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{t('imports.dragText')}</p>
          <p className="ant-upload-hint">{t('imports.dragHint', { size: formatSize(IMPORT_MAX_BYTES) })}</p>
        </Upload.Dragger>
      </div>
      {uploading && (
        <div data-testid="import-uploading">
          <Typography.Text type="secondary">{t('imports.uploading', { name: uploading.name })}</Typography.Text>
          <Progress percent={uploading.percent} size="small" />
        </div>
      )}
      {draft && !uploading && (
        <Descriptions size="small" bordered column={{ xs: 1, sm: 2 }} title={t('imports.uploaded')} data-testid="import-file">
          <Descriptions.Item label={t('imports.fileName')}>
            <span data-testid="import-file-name">{draft.fileName}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('imports.format')}>
            <span data-testid="import-file-format">{t(`imports.formats.${draft.format}`)}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('imports.encoding')}>
            <span data-testid="import-file-encoding">{draft.encoding ? draft.encoding.toUpperCase() : t('imports.encodingNone')}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('imports.columns')}>{draft.headers.length}</Descriptions.Item>
        </Descriptions>
      )}
      <Button type="link" icon={<HistoryOutlined />} onClick={() => setHistoryOpen(true)} style={{ paddingLeft: 0 }} data-testid="import-history-open">
        {t('imports.history')}
      </Button>
    </Space>
  );

  return (
    <>
      <Button icon={<UploadOutlined />} onClick={() => setOpen(true)} data-testid="import-button">
        {running && !open ? t('imports.running', { percent: Math.floor((job.data?.progress ?? 0) * 100) }) : t('imports.button')}
      </Button>
      <Modal
        open={open}
        title={t('imports.title', { entity: entityName })}
        width={1000}
        onCancel={close}
        footer={footer}
        maskClosable={false}
        destroyOnHidden
      >
        <div data-testid="import-wizard">
          <Steps
            current={step}
            size="small"
            style={{ marginBottom: 24 }}
            items={[
              { title: t('imports.steps.upload') },
              { title: t('imports.steps.mapping') },
              { title: t('imports.steps.preview') },
              { title: t('imports.steps.run') },
            ]}
          />
          {step === 0 && uploadStep}
          {step === 1 && draft && <MappingStep draft={draft} mapping={mapping} onChange={setMapping} problems={problems} />}
          {step === 2 && draft && <PreviewStep draft={draft} settings={settings} onDuplicates={setDuplicates} onOwner={setOwnerId} />}
          {step === 3 && job.data && (
            <RunStep
              job={job.data}
              onChanged={(j) => {
                queryClient.setQueryData(jobKey(j.id), j);
                onDone();
              }}
            />
          )}
          {step === 3 && job.error && <Typography.Text type="danger">{job.error.message}</Typography.Text>}
        </div>
      </Modal>
      <ImportHistory entity={entity} open={historyOpen} onClose={() => setHistoryOpen(false)} onChanged={onDone} />
    </>
  );
}
