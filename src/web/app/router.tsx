import { lazy, type ReactNode, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, Navigate, type RouteObject, useLocation } from 'react-router-dom';
import { PageLoading } from '../components/PageLoading';
import { Forbidden, NotFound, RouteError } from '../pages/Status';
import { AppLayout } from './AppLayout';
import { firstOpenPath, flatten, ROUTES, type RouteNode } from './routes';
import { useSession } from './session';

const SignIn = lazy(() => import('../pages/SignIn'));

/** Where sign-in sends the user back to: only a path of this app. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

function useDocumentTitle(title: string | undefined) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = title ? `${title} · ${t('app.name')}` : t('app.name');
  }, [title, t]);
}

function RequireSignIn({ children }: { children: ReactNode }) {
  const { me } = useSession();
  const location = useLocation();
  if (!me) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <>{children}</>;
}

function SignInRoute() {
  const { me } = useSession();
  const location = useLocation();
  const { t } = useTranslation();
  useDocumentTitle(t('signIn.title'));
  if (me) return <Navigate to={safeNext(new URLSearchParams(location.search).get('next'))} replace />;
  return (
    <Suspense fallback={<PageLoading />}>
      <SignIn />
    </Suspense>
  );
}

/** A page of the tree, behind its access guard: a 403 page when the user may not open it. */
function GuardedPage({ node }: { node: RouteNode }) {
  const { can } = useSession();
  const { t } = useTranslation();
  const allowed = can(node.access ?? 'authenticated');
  useDocumentTitle(allowed ? t(node.label) : t('status.forbiddenTitle'));
  if (!allowed || !node.page) return <Forbidden />;
  const Page = node.page;
  return <Page />;
}

/** "/" and a group's own path: the first page in the menu the user may open. */
function FirstOpenPage({ nodes }: { nodes: RouteNode[] }) {
  const { can } = useSession();
  const target = firstOpenPath(nodes, can);
  if (target) return <Navigate to={target} replace />;
  // a user without any menu page still has a profile
  return nodes === ROUTES ? <Navigate to="/profile" replace /> : <Forbidden />;
}

function NotFoundRoute() {
  const { t } = useTranslation();
  useDocumentTitle(t('status.notFoundTitle'));
  return <NotFound />;
}

export function buildRouter() {
  const nodes = flatten();
  const pages: RouteObject[] = nodes
    .filter((node) => !node.bare)
    .map((node) => ({
      path: node.path,
      element: node.children ? <FirstOpenPage nodes={node.children} /> : <GuardedPage node={node} />,
    }));
  // print views: signed in and guarded like the others, without the shell
  const bare: RouteObject[] = nodes
    .filter((node) => node.bare)
    .map((node) => ({
      path: node.path,
      element: (
        <RequireSignIn>
          <Suspense fallback={<PageLoading />}>
            <GuardedPage node={node} />
          </Suspense>
        </RequireSignIn>
      ),
      errorElement: <RouteError />,
    }));
  return createBrowserRouter([
    { path: '/login', element: <SignInRoute />, errorElement: <RouteError /> },
    ...bare,
    {
      path: '/',
      element: (
        <RequireSignIn>
          <AppLayout />
        </RequireSignIn>
      ),
      errorElement: <RouteError />,
      children: [{ index: true, element: <FirstOpenPage nodes={ROUTES} /> }, ...pages, { path: '*', element: <NotFoundRoute /> }],
    },
  ]);
}
