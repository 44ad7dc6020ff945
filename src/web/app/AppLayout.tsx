import { GlobalOutlined, LogoutOutlined, MenuFoldOutlined, MenuOutlined, MenuUnfoldOutlined, UserOutlined } from '@ant-design/icons';
import { App, Avatar, Button, Drawer, Dropdown, Grid, Layout, Menu, type MenuProps } from 'antd';
import { Suspense, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { PageLoading } from '../components/PageLoading';
import { currentLocale, LOCALE_NAMES, LOCALES, type Locale } from '../i18n';
import { canOpen, flatten, ROUTES, type RouteNode } from './routes';
import { useMe, useSession } from './session';
import { NotificationBell } from './NotificationBell';
import { UpcomingBell } from './UpcomingBell';
import { ApprovalBell } from '../pages/approvals/ApprovalBell';

type MenuItem = Required<MenuProps>['items'][number];

/** The menu entry a path belongs to: the longest menu path it starts with (a detail page lights up its list). */
function selectedMenuPath(pathname: string): RouteNode | undefined {
  return flatten()
    .filter((n) => !n.hideInMenu && !n.children && (pathname === n.path || pathname.startsWith(`${n.path}/`)))
    .sort((a, b) => b.path.length - a.path.length)[0];
}

function groupOf(path: string): string | undefined {
  return ROUTES.find((g) => g.children?.some((c) => c.path === path))?.path;
}

function SideMenu({ collapsed, onNavigate }: { collapsed?: boolean; onNavigate?: () => void }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const selected = selectedMenuPath(pathname)?.path;
  const [openKeys, setOpenKeys] = useState<string[]>(() => ROUTES.filter((n) => n.children).map((n) => n.path));

  useEffect(() => {
    const group = selected ? groupOf(selected) : undefined;
    if (group) setOpenKeys((keys) => (keys.includes(group) ? keys : [...keys, group]));
  }, [selected]);

  const items = useMemo(() => {
    const toItems = (nodes: RouteNode[]): MenuItem[] =>
      nodes
        .filter((n) => !n.hideInMenu && canOpen(n, can))
        .map((n) =>
          n.children
            ? { key: n.path, icon: n.icon, label: t(n.label), children: toItems(n.children) }
            : { key: n.path, icon: n.icon, label: t(n.label) },
        );
    return toItems(ROUTES);
  }, [can, t]);

  return (
    <Menu
      theme="dark"
      mode="inline"
      items={items}
      selectedKeys={selected ? [selected] : []}
      {...(collapsed ? {} : { openKeys, onOpenChange: setOpenKeys })}
      onClick={({ key }) => {
        navigate(key);
        onNavigate?.();
      }}
    />
  );
}

function Brand({ compact }: { compact?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="app-brand">
      <img src="/favicon.svg" alt="" width={28} height={28} />
      {!compact && <span>{t('app.name')}</span>}
    </div>
  );
}

function LanguageSwitch({ compact }: { compact: boolean }) {
  const { changeLocale } = useSession();
  const { message } = App.useApp();
  const locale = currentLocale();
  const items: MenuProps['items'] = LOCALES.map((l) => ({ key: l, label: LOCALE_NAMES[l] }));
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items,
        selectable: true,
        selectedKeys: [locale],
        onClick: ({ key }) => void changeLocale(key as Locale).catch((err: Error) => message.error(err.message)),
      }}
    >
      <Button type="text" icon={<GlobalOutlined />} data-testid="language-switch" aria-label={LOCALE_NAMES[locale]}>
        {compact ? null : LOCALE_NAMES[locale]}
      </Button>
    </Dropdown>
  );
}

function UserMenu({ compact }: { compact: boolean }) {
  const { t } = useTranslation();
  const me = useMe();
  const { signOut } = useSession();
  const navigate = useNavigate();
  const items: MenuProps['items'] = [
    { key: 'profile', icon: <UserOutlined />, label: t('layout.profile') },
    { type: 'divider' },
    { key: 'logout', icon: <LogoutOutlined />, label: t('layout.signOut') },
  ];
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items,
        // signing out returns to a plain sign-in page (no "come back to" link for the next user)
        onClick: ({ key }) => (key === 'profile' ? navigate('/profile') : void signOut().then(() => navigate('/login', { replace: true }))),
      }}
    >
      <Button type="text" className="app-user" data-testid="user-menu" aria-label={me.user.name}>
        <Avatar size="small" style={{ backgroundColor: '#1677ff' }}>
          {me.user.name.slice(0, 1)}
        </Avatar>
        {!compact && <span className="app-user-name">{me.user.name}</span>}
      </Button>
    </Dropdown>
  );
}

/** The frame of every signed-in page: side menu (a drawer below 768 px), header, content. */
export function AppLayout() {
  const { t } = useTranslation();
  const me = useMe();
  const screens = Grid.useBreakpoint();
  // before the first measurement screens is empty: decide by the window width
  const mobile = screens.md === undefined ? window.innerWidth < 768 : !screens.md;
  const [collapsed, setCollapsed] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const { pathname } = useLocation();

  useEffect(() => setDrawerOpen(false), [pathname]);

  return (
    <Layout className="app-root">
      {!mobile && (
        <Layout.Sider width={220} collapsed={collapsed} collapsedWidth={64} trigger={null} className="app-sider">
          <Brand compact={collapsed} />
          <SideMenu collapsed={collapsed} />
        </Layout.Sider>
      )}
      {mobile && (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          width={240}
          closable={false}
          className="app-menu-drawer"
          styles={{ body: { padding: 0 } }}
        >
          <Brand />
          <SideMenu onNavigate={() => setDrawerOpen(false)} />
        </Drawer>
      )}
      <Layout className="app-main">
        <Layout.Header className="app-header">
          <Button
            type="text"
            data-testid="menu-toggle"
            aria-label={t(mobile ? 'layout.openMenu' : collapsed ? 'layout.expandMenu' : 'layout.collapseMenu')}
            icon={mobile ? <MenuOutlined /> : collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
            onClick={() => (mobile ? setDrawerOpen(true) : setCollapsed((c) => !c))}
          />
          <span className="app-company" title={me.tenant.name} data-testid="company-name">
            {me.tenant.name}
          </span>
          <span className="app-header-actions">
            <ApprovalBell />
            <UpcomingBell />
            <NotificationBell />
            <LanguageSwitch compact={mobile} />
            <UserMenu compact={mobile} />
          </span>
        </Layout.Header>
        <Layout.Content className="app-content">
          <Suspense fallback={<PageLoading />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
