import { PrinterOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import './print.css';

/** A print view (CUS-17): print and close buttons (and `notice`) on screen, above what is printed. */
export function PrintView({ notice, children }: { notice?: ReactNode; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="print-view">
      <div className="print-toolbar">
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>
          {t('print.print')}
        </Button>
        <Button onClick={() => window.close()}>{t('print.close')}</Button>
        {notice}
      </div>
      {children}
    </div>
  );
}
