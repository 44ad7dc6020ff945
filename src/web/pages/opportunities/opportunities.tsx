import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, Modal, Select, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LostReasonDto, OpportunityDto, OpportunityStatus, PipelineDto } from '../../../common/schemas/opportunities';
import { api } from '../../api/client';
import { useShowError } from '../../components/form';

export type { BoardDto, ForecastDto, OpportunityDetailDto, OpportunityDto, PipelineDto, StageDto, StageHistoryDto } from '../../../common/schemas/opportunities';

/** Pipelines with their stages; disabled ones included (old records' labels). */
export function usePipelines() {
  return useQuery({ queryKey: ['pipelines'], queryFn: () => api.get<{ items: PipelineDto[] }>('/pipelines').then((r) => r.items), staleTime: 60_000 });
}

export function useLostReasons() {
  return useQuery({
    queryKey: ['pipelines', 'lost-reasons'],
    queryFn: () => api.get<{ items: LostReasonDto[] }>('/opportunity-lost-reasons').then((r) => r.items),
    staleTime: 60_000,
  });
}

const STATUS_COLORS: Record<OpportunityStatus, string> = { open: 'processing', won: 'success', lost: 'default' };

export function OpportunityStatusTag({ status }: { status: OpportunityStatus }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLORS[status]}>{t(`opportunities.statuses.${status}`)}</Tag>;
}

/** Reloads everything that shows opportunities (lists, board, detail, forecast, pipeline counts). */
export function useRefreshOpportunities() {
  const queryClient = useQueryClient();
  return () => Promise.all([queryClient.invalidateQueries({ queryKey: ['opportunities'] }), queryClient.invalidateQueries({ queryKey: ['pipelines'] })]);
}

export type StageMove =
  | { kind: 'stage'; stageId: number; stageName: string }
  | { kind: 'win' }
  | { kind: 'lose' }
  | { kind: 'reopen' };

/**
 * The note dialog of a stage change (advance, win, lose with its required
 * reason, reopen). `onDone` gets the changed opportunity; on an error the
 * dialog stays open and `onFailed` is told (the board rolls its card back).
 */
export function StageMoveModal({ opportunity, move, onClose, onDone }: { opportunity: OpportunityDto; move: StageMove; onClose: () => void; onDone?: (o: OpportunityDto) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const refresh = useRefreshOpportunities();
  const reasons = useLostReasons();
  const [form] = Form.useForm<{ note?: string; lostReasonId?: number }>();
  const [saving, setSaving] = useState(false);
  const title =
    move.kind === 'stage'
      ? t('opportunities.advanceTo', { stage: move.stageName })
      : t(move.kind === 'win' ? 'opportunities.winTitle' : move.kind === 'lose' ? 'opportunities.loseTitle' : 'opportunities.reopenTitle', { name: opportunity.name });
  const save = async (v: { note?: string; lostReasonId?: number }) => {
    setSaving(true);
    try {
      const note = v.note?.trim() || null;
      const path = `/opportunities/${opportunity.id}`;
      const changed =
        move.kind === 'stage'
          ? await api.post<OpportunityDto>(`${path}/stage`, { stageId: move.stageId, note })
          : move.kind === 'lose'
            ? await api.post<OpportunityDto>(`${path}/lose`, { lostReasonId: v.lostReasonId, note })
            : await api.post<OpportunityDto>(`${path}/${move.kind}`, { note });
      await refresh();
      message.success(t('opportunities.stageChanged'));
      onDone?.(changed);
      onClose();
    } catch (err) {
      showError(err);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={title}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: move.kind === 'lose', 'data-testid': 'stage-move-ok' } as never}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={saving}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => void save(v)}>
        {move.kind === 'lose' && (
          <Form.Item name="lostReasonId" label={t('opportunities.lostReason')} rules={[{ required: true, message: t('validation.required') }]}>
            <Select
              data-testid="lost-reason"
              aria-label={t('opportunities.lostReason')}
              options={(reasons.data ?? []).filter((r) => r.enabled).map((r) => ({ value: r.id, label: r.name }))}
            />
          </Form.Item>
        )}
        <Form.Item name="note" label={move.kind === 'lose' ? t('opportunities.lostNote') : t('opportunities.note')}>
          <Input.TextArea autoFocus={move.kind !== 'lose'} maxLength={1000} autoSize={{ minRows: 2, maxRows: 5 }} placeholder={t('opportunities.notePlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
