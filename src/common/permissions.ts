/**
 * The one list of function permissions (功能权限) and data-scope modules.
 * Roles store codes from this list; every API route declares one of them;
 * the web menu hides what the user's codes do not allow.
 */

export const PERMISSIONS = {
  'customer.view': { zh: '查看客户', en: 'View customers' },
  'customer.create': { zh: '新建客户', en: 'Create customers' },
  'customer.edit': { zh: '编辑客户', en: 'Edit customers' },
  'customer.delete': { zh: '删除客户', en: 'Delete customers' },
  'customer.transfer': { zh: '转移客户', en: 'Transfer customers' },
  'customer.share': { zh: '共享客户 / 管理团队成员', en: 'Share customers / manage team' },
  'customer.export': { zh: '导出客户', en: 'Export customers' },
  'customer.import': { zh: '导入客户', en: 'Import customers' },
  'customer.lock': { zh: '锁定 / 解锁客户', en: 'Lock / unlock customers' },
  'customer.merge': { zh: '合并客户', en: 'Merge customers' },
  'customer.points': { zh: '发放 / 兑换客户积分', en: 'Grant / redeem customer points' },
  'customer.protect': { zh: '保护客户（暂不回收）', en: 'Protect customers from recycling' },
  'pool.view': { zh: '查看公海', en: 'View public pools' },
  'pool.claim': { zh: '领取 / 申请公海客户', en: 'Claim / apply for pool customers' },
  'pool.manage': { zh: '管理公海与规则', en: 'Manage pools and rules' },
  'lead.view': { zh: '查看线索', en: 'View leads' },
  'lead.create': { zh: '新建线索', en: 'Create leads' },
  'lead.edit': { zh: '编辑线索', en: 'Edit leads' },
  'lead.delete': { zh: '删除线索', en: 'Delete leads' },
  'lead.transfer': { zh: '分配 / 转移线索', en: 'Assign / transfer leads' },
  'lead.convert': { zh: '线索转客户', en: 'Convert leads' },
  'lead.export': { zh: '导出线索', en: 'Export leads' },
  'lead.import': { zh: '导入线索', en: 'Import leads' },
  'lead.manage': { zh: '线索规则与表单设置', en: 'Lead rules and web forms' },
  'contact.view': { zh: '查看联系人', en: 'View contacts' },
  'contact.create': { zh: '新建联系人', en: 'Create contacts' },
  'contact.edit': { zh: '编辑联系人', en: 'Edit contacts' },
  'contact.delete': { zh: '删除联系人', en: 'Delete contacts' },
  'contact.export': { zh: '导出联系人', en: 'Export contacts' },
  'contact.import': { zh: '导入联系人', en: 'Import contacts' },
  'followup.create': { zh: '写跟进记录', en: 'Record follow-ups' },
  'followup.comment': { zh: '点评跟进记录', en: 'Comment on follow-ups' },
  'product.view': { zh: '查看产品', en: 'View products' },
  'product.manage': { zh: '管理产品、分类、价格表与折扣规则', en: 'Manage products, categories, price books and discount rules' },
  'product.stock': { zh: '调整库存', en: 'Adjust stock levels' },
  'product.export': { zh: '导出产品', en: 'Export products' },
  'product.import': { zh: '导入产品', en: 'Import products' },
  'opportunity.view': { zh: '查看商机', en: 'View opportunities' },
  'opportunity.export': { zh: '导出商机', en: 'Export opportunities' },
  'opportunity.import': { zh: '导入商机', en: 'Import opportunities' },
  'opportunity.create': { zh: '新建商机', en: 'Create opportunities' },
  'opportunity.edit': { zh: '编辑商机 / 推进阶段', en: 'Edit opportunities / advance stages' },
  'opportunity.delete': { zh: '删除商机', en: 'Delete opportunities' },
  'opportunity.transfer': { zh: '转移商机', en: 'Transfer opportunities' },
  'opportunity.share': { zh: '管理商机团队成员', en: 'Manage opportunity team' },
  'contract.view': { zh: '查看合同', en: 'View contracts' },
  'contract.create': { zh: '新建合同', en: 'Create contracts' },
  'contract.edit': { zh: '编辑合同 / 提交审批 / 记录签署', en: 'Edit contracts / submit / record signatures' },
  'contract.delete': { zh: '删除合同', en: 'Delete contracts' },
  'contract.transfer': { zh: '转移合同', en: 'Transfer contracts' },
  'receivable.view': { zh: '查看回款与回款计划', en: 'View receivables and payment plans' },
  'receivable.create': { zh: '登记回款 / 编辑回款计划', en: 'Record receivables / edit payment plans' },
  'quote.view': { zh: '查看报价单', en: 'View quotes' },
  'quote.create': { zh: '新建报价单', en: 'Create quotes' },
  'quote.edit': { zh: '编辑报价单 / 提交审批 / 发送 / 新版本', en: 'Edit quotes / submit / send / new versions' },
  'quote.delete': { zh: '删除报价单', en: 'Delete quotes' },
  'target.manage': { zh: '设置销售目标', en: 'Set sales targets' },
  'approval.submit': { zh: '发起审批 / 报销', en: 'Submit approvals / expense claims' },
  'approval.view_all': { zh: '查看全部审批', en: 'View all approvals' },
  'approval.manage': { zh: '设计审批流程', en: 'Design approval flows' },
  'settings.sales': { zh: '销售设置（销售流程、币种与汇率）', en: 'Sales settings (pipelines, currencies, exchange rates)' },
  'settings.dictionary': { zh: '管理数据字典', en: 'Manage dictionaries' },
  'view.share': { zh: '共享筛选场景', en: 'Share filter views' },
  'settings.customfield': { zh: '自定义字段设置', en: 'Custom fields' },
  'settings.duplicate': { zh: '查重规则设置', en: 'Duplicate rules' },
  'recycle.manage': { zh: '回收站（恢复与彻底删除）', en: 'Recycle bin (restore and erase)' },
  'department.view': { zh: '查看部门', en: 'View departments' },
  'department.manage': { zh: '管理部门', en: 'Manage departments' },
  'user.view': { zh: '查看员工', en: 'View users' },
  'user.manage': { zh: '管理员工', en: 'Manage users' },
  'role.view': { zh: '查看角色', en: 'View roles' },
  'role.manage': { zh: '管理角色与权限', en: 'Manage roles and permissions' },
  'access.explain': { zh: '查询数据可见原因', en: 'Explain record visibility' },
  'log.operation': { zh: '查看操作日志', en: 'View operation log' },
  'log.login': { zh: '查看登录日志', en: 'View login log' },
} as const satisfies Record<string, { zh: string; en: string }>;

export type Permission = keyof typeof PERMISSIONS;
export const PERMISSION_CODES = Object.keys(PERMISSIONS) as Permission[];

/** Permission groups, for the role editor. */
export const PERMISSION_GROUPS: { key: string; zh: string; en: string; codes: Permission[] }[] = [
  { key: 'customer', zh: '客户', en: 'Customers', codes: PERMISSION_CODES.filter((c) => c.startsWith('customer.')) },
  { key: 'pool', zh: '公海', en: 'Public pool', codes: PERMISSION_CODES.filter((c) => c.startsWith('pool.')) },
  { key: 'lead', zh: '线索', en: 'Leads', codes: PERMISSION_CODES.filter((c) => c.startsWith('lead.')) },
  { key: 'contact', zh: '联系人', en: 'Contacts', codes: PERMISSION_CODES.filter((c) => c.startsWith('contact.')) },
  { key: 'followup', zh: '跟进记录', en: 'Follow-ups', codes: PERMISSION_CODES.filter((c) => c.startsWith('followup.')) },
  { key: 'product', zh: '产品', en: 'Products', codes: PERMISSION_CODES.filter((c) => c.startsWith('product.')) },
  { key: 'opportunity', zh: '商机', en: 'Opportunities', codes: PERMISSION_CODES.filter((c) => c.startsWith('opportunity.')) },
  { key: 'quote', zh: '报价单', en: 'Quotes', codes: PERMISSION_CODES.filter((c) => c.startsWith('quote.')) },
  { key: 'contract', zh: '合同与回款', en: 'Contracts and receivables', codes: PERMISSION_CODES.filter((c) => /^(contract|receivable)\./.test(c)) },
  { key: 'target', zh: '销售目标', en: 'Sales targets', codes: PERMISSION_CODES.filter((c) => c.startsWith('target.')) },
  { key: 'approval', zh: '审批', en: 'Approvals', codes: PERMISSION_CODES.filter((c) => c.startsWith('approval.')) },
  { key: 'settings', zh: '系统设置', en: 'Settings', codes: PERMISSION_CODES.filter((c) => /^(settings|recycle|view)\./.test(c)) },
  {
    key: 'org',
    zh: '组织架构',
    en: 'Organisation',
    codes: PERMISSION_CODES.filter((c) => /^(department|user|role|access)\./.test(c)),
  },
  { key: 'log', zh: '日志', en: 'Logs', codes: PERMISSION_CODES.filter((c) => c.startsWith('log.')) },
];

/** Business modules whose records are governed by a data scope (数据权限). */
export const SCOPED_MODULES = {
  customer: { zh: '客户', en: 'Customers' },
  lead: { zh: '线索', en: 'Leads' },
  opportunity: { zh: '商机', en: 'Opportunities' },
  contract: { zh: '合同（及其回款）', en: 'Contracts (and their receivables)' },
  quote: { zh: '报价单', en: 'Quotes' },
} as const;
export type ScopedModule = keyof typeof SCOPED_MODULES;
export const SCOPED_MODULE_KEYS = Object.keys(SCOPED_MODULES) as ScopedModule[];

export const DATA_SCOPES = {
  self: { zh: '本人', en: 'Self' },
  self_sub: { zh: '本人及下属', en: 'Self and subordinates' },
  dept: { zh: '本部门', en: 'Department' },
  dept_sub: { zh: '本部门及下属部门', en: 'Department and sub-departments' },
  all: { zh: '全部', en: 'All' },
} as const;
export type DataScope = keyof typeof DATA_SCOPES;
export const DATA_SCOPE_KEYS = Object.keys(DATA_SCOPES) as DataScope[];

export function isPermission(code: string): code is Permission {
  return Object.prototype.hasOwnProperty.call(PERMISSIONS, code);
}
