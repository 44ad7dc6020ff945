import { Typography } from 'antd';
import type { ReactNode } from 'react';

interface Props {
  title: ReactNode;
  /** Buttons on the right of the title (they wrap under it on a phone). */
  extra?: ReactNode;
  /** A line under the title. */
  subTitle?: ReactNode;
  children: ReactNode;
}

/** The frame of a page: title, actions, content. */
export function PageContainer({ title, extra, subTitle, children }: Props) {
  return (
    <div className="page">
      <div className="page-header">
        <div className="page-heading">
          <Typography.Title level={4} className="page-title" data-testid="page-title">
            {title}
          </Typography.Title>
          {subTitle && <Typography.Text type="secondary">{subTitle}</Typography.Text>}
        </div>
        {extra && <div className="page-extra">{extra}</div>}
      </div>
      {children}
    </div>
  );
}
