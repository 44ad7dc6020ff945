import { ArrowLeftOutlined, LinkOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Result, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import type { ApprovalDetailDto } from '../../../common/schemas/approvals';
import { api, ApiError } from '../../api/client';
import { APPROVALS_KEY, ApprovalView } from '../../components/ApprovalPanel';
import { PageContainer } from '../../components/PageContainer';
import { useApprovalTypes } from './approvals';

/** Where each business type's records are shown. */
const RECORD_PAGES: Record<string, (id: number) => string> = { expense: (id) => `/expenses/${id}` };

/** One approval, for its submitter, its approvers and those who see all approvals. */
export default function ApprovalDetail() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const types = useApprovalTypes();
  const id = Number(useParams().id);
  const detail = useQuery({ queryKey: [...APPROVALS_KEY, 'detail', id], queryFn: () => api.get<ApprovalDetailDto>(`/approvals/${id}`) });
  const back = (
    <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)}>
      {t('customers.backToList')}
    </Button>
  );
  if (detail.isPending) return <Skeleton active />;
  if (detail.error) {
    const notFound = detail.error instanceof ApiError && detail.error.status === 404;
    return <Result status={notFound ? '404' : 'error'} title={detail.error.message} extra={back} />;
  }
  const a = detail.data;
  const recordPage = RECORD_PAGES[a.businessType];
  return (
    <PageContainer
      title={a.title}
      subTitle={`${t('approvals.detailTitle')} · ${types.label(a.businessType)}`}
      extra={
        <>
          {back}
          {recordPage && (
            <Button icon={<LinkOutlined />} onClick={() => navigate(recordPage(a.recordId))}>
              {t('approvals.openRecord')}
            </Button>
          )}
        </>
      }
    >
      <Card className="page-card">
        <ApprovalView approval={a} />
      </Card>
    </PageContainer>
  );
}
