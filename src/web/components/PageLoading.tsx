import { Spin } from 'antd';

/** Placeholder while a page's code or the sign-in check loads. */
export function PageLoading() {
  return (
    <div className="page-loading">
      <Spin size="large" />
    </div>
  );
}
