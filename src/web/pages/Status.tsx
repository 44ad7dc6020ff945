import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';

/** Shown in place of a page the user may not open (its menu entry is hidden too). */
export function Forbidden() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <div data-testid="forbidden">
      <Result
        status="403"
        title={t('status.forbiddenTitle')}
        subTitle={t('status.forbidden')}
        extra={
          <Button type="primary" onClick={() => navigate('/')}>
            {t('status.home')}
          </Button>
        }
      />
    </div>
  );
}

export function NotFound() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title={t('status.notFoundTitle')}
      subTitle={t('status.notFound')}
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          {t('status.home')}
        </Button>
      }
    />
  );
}

/** A page that failed to render or to load (e.g. after a new version replaced its code): offer a reload. */
export function RouteError() {
  const { t } = useTranslation();
  return (
    <Result
      status="error"
      title={t('status.errorTitle')}
      subTitle={t('status.error')}
      extra={
        <Button type="primary" onClick={() => window.location.reload()}>
          {t('status.reload')}
        </Button>
      }
    />
  );
}
