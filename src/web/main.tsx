import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntdApp, Button, ConfigProvider, Result } from 'antd';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router-dom';
import { ApiError } from './api/client';
import { buildRouter } from './app/router';
import { SessionProvider } from './app/session';
import { PageLoading } from './components/PageLoading';
import { antdLocale, currentLocale } from './i18n';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // a refusal (4xx) will not change by asking again
      retry: (failures, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && failures < 2,
      refetchOnWindowFocus: false,
      staleTime: 10_000,
    },
  },
});

const router = buildRouter();

function Root() {
  const { t } = useTranslation(); // re-renders everything when the language changes
  return (
    <ConfigProvider locale={antdLocale(currentLocale())} theme={{ token: { colorPrimary: '#1677ff', borderRadius: 6 } }}>
      <AntdApp>
        <QueryClientProvider client={queryClient}>
          <SessionProvider
            loading={<PageLoading />}
            failure={(err, retry) => (
              <Result
                status="error"
                title={t('errors.startFailed')}
                subTitle={err.message}
                extra={
                  <Button type="primary" onClick={retry}>
                    {t('common.retry')}
                  </Button>
                }
              />
            )}
          >
            <RouterProvider router={router} />
          </SessionProvider>
        </QueryClientProvider>
      </AntdApp>
    </ConfigProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
