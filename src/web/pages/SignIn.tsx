import { LockOutlined, UserOutlined, BankOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Segmented, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LoginBody } from '../../common/schemas/auth';
import { api, ApiError } from '../api/client';
import type { MeResponse } from '../api/types';
import { useSession } from '../app/session';
import { useSchemaForm } from '../components/form';
import { currentLocale, LOCALE_NAMES, LOCALES, type Locale } from '../i18n';

export default function SignIn() {
  const { t } = useTranslation();
  const { signedIn, changeLocale } = useSession();
  const { form, field, submit, submitting } = useSchemaForm(LoginBody);
  const [error, setError] = useState<string>();
  // the company code is asked for only when the login exists in several companies
  const [needTenant, setNeedTenant] = useState(false);

  const signIn = submit(async (body) => {
    setError(undefined);
    try {
      signedIn(await api.post<MeResponse>('/auth/login', body, { handleUnauthorized: false }));
    } catch (err) {
      if (!(err instanceof ApiError) || err.fields.length) throw err;
      if (err.code === 'TENANT_REQUIRED') setNeedTenant(true);
      setError(err.message);
    }
  });

  return (
    <div className="sign-in">
      <Card className="sign-in-card" variant="borderless">
        <div className="sign-in-brand">
          <img src="/favicon.svg" alt="" width={40} height={40} />
          <Typography.Title level={1}>{t('app.name')}</Typography.Title>
        </div>
        <Typography.Text type="secondary" className="sign-in-tagline">
          {t('signIn.tagline')}
        </Typography.Text>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="sign-in-error" />}
        <Form form={form} name="sign-in" layout="vertical" size="large" onFinish={signIn} requiredMark={false}>
          <Form.Item label={t('signIn.login')} {...field('login')}>
            <Input
              prefix={<UserOutlined />}
              placeholder={t('signIn.loginPlaceholder')}
              autoComplete="username"
              data-testid="sign-in-login"
            />
          </Form.Item>
          <Form.Item label={t('signIn.password')} {...field('password')}>
            <Input.Password
              prefix={<LockOutlined />}
              placeholder={t('signIn.passwordPlaceholder')}
              autoComplete="current-password"
              data-testid="sign-in-password"
            />
          </Form.Item>
          {needTenant && (
            <Form.Item label={t('signIn.tenant')} {...field('tenant')} required extra={t('signIn.tenantHelp')}>
              <Input prefix={<BankOutlined />} autoFocus />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" block loading={submitting} data-testid="sign-in-submit">
            {t('signIn.submit')}
          </Button>
        </Form>
      </Card>
      <div className="sign-in-footer">
        <Segmented<Locale>
          value={currentLocale()}
          options={LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l] }))}
          onChange={(l) => void changeLocale(l)}
        />
      </div>
    </div>
  );
}
