import { Form, Select, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router-dom';
import { APPROVAL_STATUSES, type ApprovalBox, type ApprovalStatus, type ApprovalSummaryDto } from '../../../common/schemas/approvals';
import { formatMoney } from '../../../common/money';
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import { APPROVALS_KEY, ApprovalStatusTag } from '../../components/ApprovalPanel';
import { formatTime } from '../../components/format';
import { ListPage } from '../../components/ListPage';
import { PageContainer } from '../../components/PageContainer';
import { useApprovalTypes } from './approvals';

interface Filters {
  status?: ApprovalStatus | null;
  businessType?: string | null;
}

/** One approval box (待我审批 / 我发起的 / 已处理 / 全部), named by the last part of the address. */
export default function ApprovalList() {
  const { t } = useTranslation();
  const box = useLocation().pathname.split('/').pop() as ApprovalBox;
  const types = useApprovalTypes();

  const columns = useMemo<ColumnsType<ApprovalSummaryDto>>(
    () => [
      { title: t('approvals.title'), dataIndex: 'title', key: 'title', render: (v: string, a) => <Link to={`/approvals/${a.id}`}>{v}</Link> },
      { title: t('approvals.type'), dataIndex: 'businessType', key: 'type', render: (v: string) => types.label(v) },
      { title: t('approvals.amount'), key: 'amount', align: 'right', render: (_: unknown, a) => (a.amount ? formatMoney(a.amount, a.currency ?? undefined) : '-') },
      { title: t('approvals.status'), dataIndex: 'status', key: 'status', render: (v: ApprovalStatus) => <ApprovalStatusTag status={v} /> },
      { title: t('approvals.currentStep'), dataIndex: 'currentStepName', key: 'step', render: (v: string | null) => v ?? '-' },
      { title: t('approvals.submitter'), dataIndex: 'submitterName', key: 'submitter' },
      { title: t('approvals.submittedAt'), dataIndex: 'submittedAt', key: 'submittedAt', render: formatTime },
      { title: t('approvals.finishedAt'), dataIndex: 'finishedAt', key: 'finishedAt', render: (v: string | null) => <Typography.Text type="secondary">{formatTime(v)}</Typography.Text> },
    ],
    [t, types],
  );

  const filters = [
    ...(box === 'waiting'
      ? []
      : [
          <Form.Item name="status" key="status">
            <Select<ApprovalStatus>
              allowClear
              placeholder={t('approvals.status')}
              aria-label={t('approvals.status')}
              options={APPROVAL_STATUSES.map((s) => ({ value: s, label: t(`approvals.statuses.${s}`) }))}
            />
          </Form.Item>,
        ]),
    <Form.Item name="businessType" key="type">
      <Select allowClear placeholder={t('approvals.type')} aria-label={t('approvals.type')} options={types.options} />
    </Form.Item>,
  ];

  return (
    <PageContainer title={t(`approvals.boxes.${box}`)}>
      <ListPage<ApprovalSummaryDto, Filters>
        key={box}
        testId="approval-list"
        queryKey={APPROVALS_KEY[0]}
        fetchPage={(p) => api.get<Page<ApprovalSummaryDto>>('/approvals', { ...p, box })}
        columns={columns}
        rowKey="id"
        filters={filters}
        toParams={(f) => ({ status: f.status, businessType: f.businessType })}
      />
    </PageContainer>
  );
}
