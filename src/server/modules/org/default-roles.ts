import type { DataScope, Permission, ScopedModule } from '../../../common/permissions.js';
import { PERMISSION_CODES } from '../../../common/permissions.js';

export interface DefaultRole {
  code: string;
  name: string;
  description: string;
  permissions: Permission[];
  dataScopes: Partial<Record<ScopedModule, DataScope>>;
}

const ORG_READ: Permission[] = ['department.view', 'user.view'];
const CUSTOMER_WORK: Permission[] = [
  'customer.view', 'customer.create', 'customer.edit', 'customer.share',
  'contact.view', 'contact.create', 'contact.edit', 'followup.create',
  'customer.protect', 'pool.view', 'pool.claim',
  'lead.view', 'lead.create', 'lead.edit', 'lead.convert',
];
const CUSTOMER_READ: Permission[] = ['customer.view', 'contact.view'];
const CONTRACT_WORK: Permission[] = ['contract.view', 'contract.create', 'contract.edit', 'receivable.view', 'receivable.create'];
const QUOTE_WORK: Permission[] = ['quote.view', 'quote.create', 'quote.edit'];
const SALES_WORK: Permission[] = ['product.view', 'opportunity.view', 'opportunity.create', 'opportunity.edit', 'opportunity.share', 'approval.submit', ...QUOTE_WORK, ...CONTRACT_WORK];
const SALES_MANAGE_EXTRA: Permission[] = ['opportunity.export', 'opportunity.import', 'product.export', 'opportunity.transfer', 'opportunity.delete', 'contract.transfer', 'quote.delete', 'target.manage'];
const MANAGE_EXTRA: Permission[] = ['view.share', 'customer.points', 'lead.transfer', 'customer.merge', 'customer.transfer', 'customer.export', 'contact.export', 'lead.export', 'customer.import', 'contact.import', 'lead.import', 'customer.lock', 'contact.delete', 'followup.comment'];

/** The roles every new company starts with; administrators may change them. */
export const DEFAULT_ROLES: DefaultRole[] = [
  { code: 'admin', name: '系统管理员', description: '全部功能与全部数据', permissions: [...PERMISSION_CODES], dataScopes: { customer: 'all', lead: 'all', opportunity: 'all', contract: 'all', quote: 'all' } },
  {
    code: 'sales_director',
    name: '销售总监',
    description: '本部门及下属部门的客户',
    permissions: [...ORG_READ, ...CUSTOMER_WORK, ...MANAGE_EXTRA, ...SALES_WORK, ...SALES_MANAGE_EXTRA, 'customer.delete', 'lead.delete', 'contract.delete', 'log.operation'],
    dataScopes: { customer: 'dept_sub', lead: 'dept_sub', opportunity: 'dept_sub', contract: 'dept_sub', quote: 'dept_sub' },
  },
  {
    code: 'sales_manager',
    name: '销售经理',
    description: '本人及下属的客户',
    permissions: [...ORG_READ, ...CUSTOMER_WORK, ...MANAGE_EXTRA, ...SALES_WORK, ...SALES_MANAGE_EXTRA],
    dataScopes: { customer: 'self_sub', lead: 'self_sub', opportunity: 'self_sub', contract: 'self_sub', quote: 'self_sub' },
  },
  { code: 'sales_rep', name: '销售代表', description: '本人的客户', permissions: [...ORG_READ, ...CUSTOMER_WORK, ...SALES_WORK], dataScopes: { customer: 'self', lead: 'self', opportunity: 'self', contract: 'self', quote: 'self' } },
  { code: 'service_agent', name: '客服专员', description: '查看全部客户', permissions: [...ORG_READ, ...CUSTOMER_READ, 'followup.create'], dataScopes: { customer: 'all' } },
  { code: 'marketing', name: '市场专员', description: '本部门的客户', permissions: [...ORG_READ, ...CUSTOMER_READ, 'customer.export', 'contact.export', 'lead.export', 'lead.import', 'lead.view', 'lead.create', 'lead.edit'], dataScopes: { customer: 'dept', lead: 'dept' } },
  { code: 'finance', name: '财务', description: '查看全部客户', permissions: [...ORG_READ, ...CUSTOMER_READ, 'product.view', 'opportunity.view', 'approval.submit', 'approval.view_all', 'quote.view', 'contract.view', 'receivable.view', 'receivable.create'], dataScopes: { customer: 'all', opportunity: 'all', contract: 'all', quote: 'all' } },
];
