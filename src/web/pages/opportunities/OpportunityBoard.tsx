import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Input, Select, Skeleton, Space, Typography } from 'antd';
import { type DragEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { add, formatMoney, sub, weighted } from '../../../common/money';
import type { BoardDto, BoardStageDto, OpportunityDto } from '../../../common/schemas/opportunities';
import { api, type QueryParams } from '../../api/client';
import type { Page } from '../../api/types';
import { useSession } from '../../app/session';
import { useShowError } from '../../components/form';
import { PageContainer } from '../../components/PageContainer';
import { OpportunityFormModal } from './OpportunityForm';
import { type StageMove, StageMoveModal, usePipelines, useRefreshOpportunities } from './opportunities';

const CARDS = 20;

/** The board with one card moved to the top of another stage, counts and sums following (the server's figures replace it). */
function moved(board: BoardDto, card: OpportunityDto, toStageId: number): BoardDto {
  return {
    ...board,
    stages: board.stages.map((s) => {
      const leaving = s.cards.some((c) => c.id === card.id);
      const arriving = s.stageId === toStageId;
      if (!leaving && !arriving) return s;
      const amount = arriving ? add(s.amount, card.amountCompany) : sub(s.amount, card.amountCompany);
      return {
        ...s,
        count: s.count + (arriving ? 1 : -1),
        amount,
        weighted: weighted(amount, s.winRate),
        cards: arriving ? [{ ...card, stageId: s.stageId, stageName: s.name, winRate: s.winRate }, ...s.cards] : s.cards.filter((c) => c.id !== card.id),
      };
    }),
  };
}

function BoardCard({ card, draggable, onDragStart }: { card: OpportunityDto; draggable: boolean; onDragStart: (e: DragEvent) => void }) {
  return (
    <Card size="small" className="opportunity-card" draggable={draggable} onDragStart={onDragStart} data-testid="board-card" data-name={card.name} style={{ marginBottom: 8, cursor: draggable ? 'grab' : undefined }}>
      <Link to={`/opportunities/${card.id}`}>
        <Typography.Text strong>{card.name}</Typography.Text>
      </Link>
      <div>
        <Typography.Text type="secondary">{card.customerName}</Typography.Text>
      </div>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <span>{formatMoney(card.amount, card.currency)}</span>
        <Typography.Text type="secondary">{card.ownerName ?? '-'}</Typography.Text>
      </Space>
      {card.expectedCloseDate && <Typography.Text type="secondary">{card.expectedCloseDate}</Typography.Text>}
    </Card>
  );
}

/**
 * The kanban board (SAL-2): a column per stage with its count, sum and
 * weighted sum; cards move by drag and drop (optimistic, rolled back when the
 * server refuses); dropping on won or lost asks for a note or the lost reason.
 */
export default function OpportunityBoard() {
  const { t } = useTranslation();
  const { can } = useSession();
  const showError = useShowError();
  const refresh = useRefreshOpportunities();
  const pipelines = usePipelines();
  const [pipelineId, setPipelineId] = useState<number | undefined>();
  const [q, setQ] = useState('');
  const [view, setView] = useState<'scope' | 'mine' | 'shared_with_me'>('scope');
  const [creating, setCreating] = useState(false);
  const [dialog, setDialog] = useState<{ card: OpportunityDto; move: StageMove } | null>(null);
  const filters: QueryParams = { q: q.trim() || undefined, view, pipelineId };
  const board = useQuery({ queryKey: ['opportunities', 'board', filters], queryFn: () => api.get<BoardDto>('/opportunities/board', { ...filters, limit: CARDS }) });
  const [local, setLocal] = useState<BoardDto | null>(null);
  useEffect(() => setLocal(board.data ?? null), [board.data]);
  const [dragging, setDragging] = useState<OpportunityDto | null>(null);
  const editable = can('opportunity.edit');

  const loadMore = async (stage: BoardStageDto) => {
    try {
      const page = await api.get<Page<OpportunityDto>>('/opportunities', { ...filters, pipelineId: local!.pipeline.id, stageId: stage.stageId, cursor: stage.nextCursor!, limit: CARDS });
      setLocal((b) => b && { ...b, stages: b.stages.map((s) => (s.stageId === stage.stageId ? { ...s, cards: [...s.cards, ...page.items], nextCursor: page.nextCursor } : s)) });
    } catch (err) {
      showError(err);
    }
  };

  const drop = async (stage: BoardStageDto) => {
    const card = dragging;
    setDragging(null);
    if (!card || !local || card.stageId === stage.stageId) return;
    if (stage.kind === 'won') return setDialog({ card, move: { kind: 'win' } });
    if (stage.kind === 'lost') return setDialog({ card, move: { kind: 'lose' } });
    const before = local;
    setLocal(moved(local, card, stage.stageId));
    try {
      await api.post(`/opportunities/${card.id}/stage`, { stageId: stage.stageId });
    } catch (err) {
      setLocal(before);
      showError(err);
    } finally {
      await refresh();
    }
  };

  return (
    <PageContainer
      title={t('opportunities.boardMenu')}
      extra={
        can('opportunity.create') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('opportunities.create')}
          </Button>
        )
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          style={{ minWidth: 180 }}
          aria-label={t('opportunities.pipeline')}
          value={pipelineId ?? local?.pipeline.id}
          onChange={setPipelineId}
          options={(pipelines.data ?? []).filter((p) => p.enabled).map((p) => ({ value: p.id, label: p.name }))}
        />
        <Input.Search allowClear placeholder={t('opportunities.searchPlaceholder')} onSearch={setQ} style={{ width: 220 }} />
        <Select
          value={view}
          onChange={setView}
          style={{ minWidth: 140 }}
          options={(['scope', 'mine', 'shared_with_me'] as const).map((v) => ({ value: v, label: t(`opportunities.views.${v}`) }))}
        />
      </Space>
      {board.error && <Alert type="error" showIcon message={board.error.message} />}
      {!local ? (
        <Skeleton active />
      ) : (
        <>
        {/* the outcomes stay in sight however far the columns scroll: drop here to win or lose */}
        <Space style={{ marginBottom: 12 }} wrap>
          {local.stages.filter((s) => s.kind !== 'open').map((s) => (
            <div
              key={s.stageId}
              data-testid="board-drop"
              data-stage={s.name}
              onDragOver={(e) => editable && dragging && e.preventDefault()}
              onDrop={(e) => {
                e.preventDefault();
                void drop(s);
              }}
              style={{ width: 260, padding: '8px 12px', borderRadius: 8, border: `1px dashed ${s.kind === 'won' ? '#52c41a' : '#ff4d4f'}`, background: s.kind === 'won' ? '#f6ffed' : '#fff1f0' }}
            >
              <Typography.Text strong>{s.kind === 'won' ? t('opportunities.board.dropWon') : t('opportunities.board.dropLost')}</Typography.Text>
              <div>
                <Typography.Text type="secondary">
                  {t('opportunities.board.count', { count: s.count })} · {formatMoney(s.amount)}
                </Typography.Text>
              </div>
            </div>
          ))}
        </Space>
        <div className="opportunity-board" style={{ display: 'flex', gap: 12, overflowX: 'auto', alignItems: 'flex-start' }} data-testid="opportunity-board">
          {local.stages.map((s) => (
            <div
              key={s.stageId}
              data-testid="board-column"
              data-stage={s.name}
              onDragOver={(e) => editable && dragging && e.preventDefault()}
              onDrop={(e) => {
                e.preventDefault();
                void drop(s);
              }}
              style={{ flex: '0 0 260px', background: s.kind === 'open' ? 'var(--ant-color-fill-quaternary, #fafafa)' : s.kind === 'won' ? '#f6ffed' : '#fff1f0', borderRadius: 8, padding: 8, minHeight: 200 }}
            >
              <div style={{ marginBottom: 8 }}>
                <Space style={{ width: '100%', justifyContent: 'space-between' }}>
                  <Typography.Text strong>
                    {s.name} <Typography.Text type="secondary">{s.winRate}%</Typography.Text>
                  </Typography.Text>
                  <Typography.Text data-testid="board-count">{t('opportunities.board.count', { count: s.count })}</Typography.Text>
                </Space>
                <div>
                  <Typography.Text data-testid="board-amount">{formatMoney(s.amount)}</Typography.Text>{' '}
                  <Typography.Text type="secondary">{t('opportunities.board.weighted', { amount: formatMoney(s.weighted) })}</Typography.Text>
                </div>
              </div>
              {s.cards.map((c) => (
                <BoardCard
                  key={c.id}
                  card={c}
                  draggable={editable}
                  onDragStart={(e) => {
                    e.dataTransfer.setData('text/plain', String(c.id));
                    e.dataTransfer.effectAllowed = 'move';
                    setDragging(c);
                  }}
                />
              ))}
              {!s.cards.length && !dragging && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('opportunities.board.empty')} />}
              {s.nextCursor && (
                <Button block type="link" onClick={() => void loadMore(s)}>
                  {t('opportunities.board.loadMore')}
                </Button>
              )}
            </div>
          ))}
        </div>
        </>
      )}
      {dialog && <StageMoveModal opportunity={dialog.card} move={dialog.move} onClose={() => setDialog(null)} />}
      {creating && <OpportunityFormModal onClose={() => setCreating(false)} />}
    </PageContainer>
  );
}
