import {
  AimOutlined,
  DashboardOutlined,
  FileProtectOutlined,
  FileTextOutlined,
  MoneyCollectOutlined,
  WarningOutlined,
  AccountBookOutlined,
  ApartmentOutlined,
  BranchesOutlined,
  CheckCircleOutlined,
  ClockCircleOutlined,
  SendOutlined,
  UnorderedListOutlined,
  CopyOutlined,
  CheckSquareOutlined,
  FunnelPlotOutlined,
  FundOutlined,
  LineChartOutlined,
  ProjectOutlined,
  InboxOutlined,
  RestOutlined,
  ShoppingOutlined,
  ClusterOutlined,
  TagsOutlined,
  DollarOutlined,
  AuditOutlined,
  ContactsOutlined,
  EyeOutlined,
  BookOutlined,
  FileSearchOutlined,
  FormOutlined,
  IdcardOutlined,
  LoginOutlined,
  MailOutlined,
  RiseOutlined,
  TrophyOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { type ComponentType, type LazyExoticComponent, lazy, type ReactNode } from 'react';
import type { ParseKeys } from 'i18next';
import type { Access } from './session';

/**
 * The one route tree of the app. The router, the side menu, the page titles and
 * the access guards are all made from it:
 * - a leaf with `page` is a route; `access` is the permission it needs;
 * - `label` (an i18n key) puts it in the menu unless `hideInMenu`;
 * - a group has `children` only: it shows when at least one child does, and its
 *   own path redirects to the first child the user may open.
 */
export interface RouteNode {
  path: string;
  label: ParseKeys;
  icon?: ReactNode;
  access?: Access;
  page?: LazyExoticComponent<ComponentType>;
  hideInMenu?: boolean;
  /** A page without the application shell (print views); never in the menu. */
  bare?: boolean;
  children?: RouteNode[];
}

export const ROUTES: RouteNode[] = [
  // first: "/" lands here, for every signed-in user
  {
    path: '/dashboard',
    label: 'dashboard.menu',
    icon: <DashboardOutlined aria-hidden />,
    access: 'authenticated',
    page: lazy(() => import('../pages/dashboard/Dashboard')),
  },
  {
    path: '/customers',
    label: 'menu.customers',
    icon: <ContactsOutlined aria-hidden />,
    access: 'customer.view',
    page: lazy(() => import('../pages/customers/CustomerList')),
  },
  {
    path: '/customers/:id',
    label: 'customers.detailTitle',
    access: 'customer.view',
    hideInMenu: true,
    page: lazy(() => import('../pages/customers/CustomerDetail')),
  },
  {
    path: '/customers/points-ranking',
    label: 'menu.pointsRanking',
    icon: <TrophyOutlined aria-hidden />,
    access: 'customer.view',
    page: lazy(() => import('../pages/customers/PointsRanking')),
  },
  {
    path: '/customers/:id/print',
    label: 'print.customerTitle',
    access: 'customer.view',
    hideInMenu: true,
    bare: true,
    page: lazy(() => import('../pages/customers/CustomerPrint')),
  },
  {
    path: '/customers/envelopes',
    label: 'print.envelopesTitle',
    access: 'customer.view',
    hideInMenu: true,
    bare: true,
    page: lazy(() => import('../pages/customers/EnvelopePrint')),
  },
  {
    path: '/contacts',
    label: 'menu.contacts',
    icon: <IdcardOutlined aria-hidden />,
    access: 'contact.view',
    page: lazy(() => import('../pages/contacts/ContactList')),
  },
  {
    path: '/leads',
    label: 'menu.leads',
    icon: <FunnelPlotOutlined aria-hidden />,
    access: 'lead.view',
    page: lazy(() => import('../pages/leads/LeadList')),
  },
  {
    path: '/leads/:id',
    label: 'leads.detailTitle',
    access: 'lead.view',
    hideInMenu: true,
    page: lazy(() => import('../pages/leads/LeadDetail')),
  },
  {
    path: '/opportunities',
    label: 'opportunities.menu',
    icon: <FundOutlined aria-hidden />,
    children: [
      {
        path: '/opportunities/list',
        label: 'opportunities.listMenu',
        icon: <UnorderedListOutlined aria-hidden />,
        access: 'opportunity.view',
        page: lazy(() => import('../pages/opportunities/OpportunityList')),
      },
      {
        path: '/opportunities/board',
        label: 'opportunities.boardMenu',
        icon: <ProjectOutlined aria-hidden />,
        access: 'opportunity.view',
        page: lazy(() => import('../pages/opportunities/OpportunityBoard')),
      },
      {
        path: '/opportunities/forecast',
        label: 'opportunities.forecastMenu',
        icon: <LineChartOutlined aria-hidden />,
        access: 'opportunity.view',
        page: lazy(() => import('../pages/opportunities/Forecast')),
      },
    ],
  },
  {
    path: '/opportunities/:id',
    label: 'opportunities.detailTitle',
    access: 'opportunity.view',
    hideInMenu: true,
    page: lazy(() => import('../pages/opportunities/OpportunityDetail')),
  },
  {
    path: '/quotes',
    label: 'quotes.menu',
    icon: <FileProtectOutlined aria-hidden />,
    access: 'quote.view',
    page: lazy(() => import('../pages/quotes/QuoteList')),
  },
  {
    path: '/quotes/:id',
    label: 'quotes.detailTitle',
    access: 'quote.view',
    hideInMenu: true,
    page: lazy(() => import('../pages/quotes/QuoteDetail')),
  },
  {
    path: '/quotes/:id/print',
    label: 'quotes.printTitle',
    access: 'quote.view',
    hideInMenu: true,
    bare: true,
    page: lazy(() => import('../pages/quotes/QuotePrint')),
  },
  {
    path: '/contracts',
    label: 'contracts.menu',
    icon: <FileTextOutlined aria-hidden />,
    children: [
      {
        path: '/contracts/list',
        label: 'contracts.listMenu',
        icon: <FileTextOutlined aria-hidden />,
        access: 'contract.view',
        page: lazy(() => import('../pages/contracts/ContractList')),
      },
      {
        path: '/receivables',
        label: 'contracts.receivablesMenu',
        icon: <MoneyCollectOutlined aria-hidden />,
        access: 'receivable.view',
        page: lazy(() => import('../pages/contracts/ReceivableList')),
      },
      {
        path: '/receivables/overdue',
        label: 'contracts.overdueMenu',
        icon: <WarningOutlined aria-hidden />,
        access: 'receivable.view',
        page: lazy(() => import('../pages/contracts/OverduePlans')),
      },
      {
        path: '/targets',
        label: 'dashboard.targets.menu',
        icon: <AimOutlined aria-hidden />,
        access: 'contract.view',
        page: lazy(() => import('../pages/targets/Targets')),
      },
    ],
  },
  {
    path: '/contracts/:id',
    label: 'contracts.detailTitle',
    access: 'contract.view',
    hideInMenu: true,
    page: lazy(() => import('../pages/contracts/ContractDetail')),
  },
  {
    path: '/pool',
    label: 'menu.pool',
    icon: <InboxOutlined aria-hidden />,
    access: 'pool.view',
    page: lazy(() => import('../pages/pool/PoolPage')),
  },
  {
    path: '/product-center',
    label: 'products.menu',
    icon: <ShoppingOutlined aria-hidden />,
    children: [
      {
        path: '/products',
        label: 'products.listMenu',
        icon: <ShoppingOutlined aria-hidden />,
        access: 'product.view',
        page: lazy(() => import('../pages/products/ProductList')),
      },
      {
        path: '/products/categories',
        label: 'products.categoriesMenu',
        icon: <ClusterOutlined aria-hidden />,
        access: 'product.view',
        page: lazy(() => import('../pages/products/Categories')),
      },
    ],
  },
  {
    path: '/products/:id',
    label: 'products.detailTitle',
    access: 'product.view',
    hideInMenu: true,
    page: lazy(() => import('../pages/products/ProductDetail')),
  },
  {
    path: '/approvals',
    label: 'approvals.menu',
    icon: <AuditOutlined aria-hidden />,
    children: [
      { path: '/approvals/waiting', label: 'approvals.boxes.waiting', icon: <ClockCircleOutlined aria-hidden />, access: 'authenticated', page: lazy(() => import('../pages/approvals/ApprovalList')) },
      { path: '/approvals/submitted', label: 'approvals.boxes.submitted', icon: <SendOutlined aria-hidden />, access: 'authenticated', page: lazy(() => import('../pages/approvals/ApprovalList')) },
      { path: '/approvals/done', label: 'approvals.boxes.done', icon: <CheckCircleOutlined aria-hidden />, access: 'authenticated', page: lazy(() => import('../pages/approvals/ApprovalList')) },
      { path: '/approvals/all', label: 'approvals.boxes.all', icon: <UnorderedListOutlined aria-hidden />, access: 'approval.view_all', page: lazy(() => import('../pages/approvals/ApprovalList')) },
      { path: '/expenses', label: 'approvals.expenses.menu', icon: <AccountBookOutlined aria-hidden />, access: 'approval.submit', page: lazy(() => import('../pages/approvals/ExpenseList')) },
    ],
  },
  { path: '/approvals/:id', label: 'approvals.detailTitle', access: 'authenticated', hideInMenu: true, page: lazy(() => import('../pages/approvals/ApprovalDetail')) },
  { path: '/expenses/:id', label: 'approvals.expenses.detailTitle', access: 'authenticated', hideInMenu: true, page: lazy(() => import('../pages/approvals/ExpenseDetail')) },
  {
    path: '/org',
    label: 'menu.org',
    icon: <ApartmentOutlined aria-hidden />,
    children: [
      {
        path: '/org/departments',
        label: 'menu.departments',
        icon: <ApartmentOutlined aria-hidden />,
        access: 'department.view',
        page: lazy(() => import('../pages/org/Departments')),
      },
      {
        path: '/org/users',
        label: 'menu.users',
        icon: <TeamOutlined aria-hidden />,
        access: 'user.view',
        page: lazy(() => import('../pages/org/Users')),
      },
      {
        path: '/org/roles',
        label: 'menu.roles',
        icon: <SafetyCertificateOutlined aria-hidden />,
        access: 'role.view',
        page: lazy(() => import('../pages/org/Roles')),
      },
      {
        path: '/org/visibility',
        label: 'menu.visibility',
        icon: <EyeOutlined aria-hidden />,
        access: 'access.explain',
        page: lazy(() => import('../pages/org/Visibility')),
      },
    ],
  },
  {
    path: '/logs',
    label: 'menu.logs',
    icon: <AuditOutlined aria-hidden />,
    children: [
      {
        path: '/logs/operations',
        label: 'menu.operationLog',
        icon: <FileSearchOutlined aria-hidden />,
        access: 'log.operation',
        page: lazy(() => import('../pages/logs/OperationLog')),
      },
      {
        path: '/logs/logins',
        label: 'menu.loginLog',
        icon: <LoginOutlined aria-hidden />,
        access: 'log.login',
        page: lazy(() => import('../pages/logs/LoginLog')),
      },
    ],
  },
  {
    path: '/settings',
    label: 'menu.settings',
    icon: <SettingOutlined aria-hidden />,
    children: [
      {
        path: '/settings/dictionaries',
        label: 'menu.dictionaries',
        icon: <BookOutlined aria-hidden />,
        access: 'settings.dictionary',
        page: lazy(() => import('../pages/settings/Dictionaries')),
      },
      {
        path: '/settings/envelopes',
        label: 'menu.envelopeTemplates',
        icon: <MailOutlined aria-hidden />,
        access: 'settings.dictionary',
        page: lazy(() => import('../pages/settings/EnvelopeTemplates')),
      },
      {
        path: '/settings/level-rules',
        label: 'menu.levelRules',
        icon: <RiseOutlined aria-hidden />,
        access: 'settings.dictionary',
        page: lazy(() => import('../pages/settings/LevelRules')),
      },
      {
        path: '/settings/custom-fields',
        label: 'customFields.title',
        icon: <FormOutlined aria-hidden />,
        access: 'settings.customfield',
        page: lazy(() => import('../pages/settings/CustomFields')),
      },
      {
        path: '/settings/entry-rules',
        label: 'entryRules.title',
        icon: <CheckSquareOutlined aria-hidden />,
        access: 'settings.customfield',
        page: lazy(() => import('../pages/settings/EntryRules')),
      },
      {
        path: '/settings/pools',
        label: 'menu.poolSettings',
        icon: <InboxOutlined aria-hidden />,
        access: 'pool.manage',
        page: lazy(() => import('../pages/settings/PoolSettings')),
      },
      {
        path: '/settings/pipelines',
        label: 'opportunities.pipelinesMenu',
        icon: <FundOutlined aria-hidden />,
        access: 'settings.sales',
        page: lazy(() => import('../pages/settings/Pipelines')),
      },
      {
        path: '/settings/leads',
        label: 'menu.leadSettings',
        icon: <FunnelPlotOutlined aria-hidden />,
        access: 'lead.manage',
        page: lazy(() => import('../pages/settings/LeadSettings')),
      },
      {
        path: '/settings/duplicates',
        label: 'menu.duplicateRules',
        icon: <CopyOutlined aria-hidden />,
        access: 'settings.duplicate',
        page: lazy(() => import('../pages/settings/DuplicateRules')),
      },
      {
        path: '/settings/approvals',
        label: 'approvals.settingsTitle',
        icon: <BranchesOutlined aria-hidden />,
        access: 'approval.manage',
        page: lazy(() => import('../pages/approvals/ApprovalSettings')),
      },
      {
        path: '/settings/recycle-bin',
        label: 'menu.recycleBin',
        icon: <RestOutlined aria-hidden />,
        access: 'recycle.manage',
        page: lazy(() => import('../pages/settings/RecycleBin')),
      },
      {
        path: '/settings/pricing',
        label: 'products.pricingMenu',
        icon: <TagsOutlined aria-hidden />,
        access: 'settings.sales',
        page: lazy(() => import('../pages/products/PricingSettings')),
      },
      {
        path: '/settings/contract-templates',
        label: 'contracts.templatesMenu',
        icon: <FileProtectOutlined aria-hidden />,
        access: 'settings.sales',
        page: lazy(() => import('../pages/settings/ContractTemplates')),
      },
      {
        path: '/settings/currencies',
        label: 'products.currencies.title',
        icon: <DollarOutlined aria-hidden />,
        access: 'settings.sales',
        page: lazy(() => import('../pages/settings/Currencies')),
      },
    ],
  },
  {
    path: '/profile',
    label: 'menu.profile',
    icon: <UserOutlined aria-hidden />,
    access: 'authenticated',
    hideInMenu: true,
    page: lazy(() => import('../pages/profile/Profile')),
  },
];

/** Whether the user may open a node: a leaf by its access, a group when any child is open to them. */
export function canOpen(node: RouteNode, can: (access: Access) => boolean): boolean {
  if (node.children) return node.children.some((c) => canOpen(c, can));
  return can(node.access ?? 'authenticated');
}

/** Every node of the tree, depth first. */
export function flatten(nodes: RouteNode[] = ROUTES): RouteNode[] {
  return nodes.flatMap((n) => [n, ...flatten(n.children ?? [])]);
}

/** The first page in menu order the user may open: where "/" and a group's path lead. */
export function firstOpenPath(nodes: RouteNode[], can: (access: Access) => boolean): string | undefined {
  for (const n of nodes) {
    if (n.hideInMenu || !canOpen(n, can)) continue;
    if (!n.children) return n.path;
    const inner = firstOpenPath(n.children, can);
    if (inner) return inner;
  }
  return undefined;
}
