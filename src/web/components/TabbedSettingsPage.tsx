import { Card, Tabs } from 'antd';
import type { ReactNode } from 'react';
import { PageContainer } from './PageContainer';

/** A settings page with one tab per kind of item (`tabs`), each tab's panel from `panel`; `children` go above the tabs. */
export function TabbedSettingsPage<K extends string>({
  title,
  subTitle,
  tabs,
  label,
  panel,
  children,
}: {
  title: string;
  subTitle: string;
  tabs: readonly K[];
  label: (tab: K) => string;
  panel: (tab: K) => ReactNode;
  children?: ReactNode;
}) {
  return (
    <PageContainer title={title} subTitle={subTitle}>
      {children}
      <Card className="page-card">
        <Tabs items={tabs.map((key) => ({ key, label: label(key), children: panel(key) }))} />
      </Card>
    </PageContainer>
  );
}
