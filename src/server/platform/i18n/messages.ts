import type { Locale } from '../../../common/schemas/common.js';

type Catalog = Record<string, { 'zh-CN': string; en: string }>;

/** Messages of error codes; `{name}` is replaced by the error's params. */
export const ERROR_MESSAGES = {
  VALIDATION_FAILED: { 'zh-CN': '输入内容有误，请检查标出的字段', en: 'Some fields are invalid' },
  UNAUTHENTICATED: { 'zh-CN': '请先登录', en: 'Please sign in' },
  FORBIDDEN: { 'zh-CN': '没有权限执行此操作（需要：{permission}）', en: 'You are not allowed to do this (needs {permission})' },
  CSRF_FAILED: { 'zh-CN': '请求校验失败，请刷新页面后重试', en: 'Request check failed; reload the page and try again' },
  NOT_FOUND: { 'zh-CN': '记录不存在或无权查看', en: 'The record does not exist or you may not see it' },
  ROUTE_NOT_FOUND: { 'zh-CN': '接口不存在', en: 'No such endpoint' },
  INVALID_CREDENTIALS: { 'zh-CN': '账号或密码错误', en: 'Wrong login or password' },
  ACCOUNT_LOCKED: {
    'zh-CN': '密码错误次数过多，账号已锁定，请 {minutes} 分钟后再试',
    en: 'Too many failed attempts; the account is locked for {minutes} more minutes',
  },
  ACCOUNT_DISABLED: { 'zh-CN': '账号已停用，请联系管理员', en: 'This account is disabled; ask your administrator' },
  TENANT_REQUIRED: { 'zh-CN': '该账号属于多个企业，请填写企业代码', en: 'This login exists in several companies; enter the company code' },
  WRONG_PASSWORD: { 'zh-CN': '当前密码不正确', en: 'The current password is wrong' },
  DUPLICATE: { 'zh-CN': '{field}已存在', en: '{field} already exists' },
  DEPARTMENT_HAS_CHILDREN: { 'zh-CN': '该部门下还有子部门，不能删除', en: 'The department has sub-departments and cannot be deleted' },
  DEPARTMENT_HAS_MEMBERS: { 'zh-CN': '该部门下还有员工，不能删除', en: 'The department has members and cannot be deleted' },
  ROOT_DEPARTMENT: { 'zh-CN': '顶级部门不能删除或移动', en: 'The top department cannot be deleted or moved' },
  TREE_CYCLE: { 'zh-CN': '不能设置为自己或自己的下级', en: 'Cannot be set to itself or one of its own descendants' },
  LAST_SUPER_ADMIN: { 'zh-CN': '至少需要保留一名启用的超级管理员', en: 'At least one active super administrator must remain' },
  RECORD_READ_ONLY: { 'zh-CN': '你对该记录没有此操作的权限', en: 'You may not do this to this record' },
  BIN_PARENT_DELETED: { 'zh-CN': '所属客户也在回收站中，请先恢复客户', en: 'Its customer is in the recycle bin too: restore the customer first' },
  BIN_RECORD_IN_USE: { 'zh-CN': '该记录已被报价、合同或价格表引用，不能彻底删除', en: 'Quotes, contracts or price books refer to this record: it cannot be erased' },
  FIELD_READ_ONLY: { 'zh-CN': '你的角色不能修改这些字段：{fields}', en: 'Your role may not change these fields: {fields}' },
  FIELD_HIDDEN: { 'zh-CN': '你的角色看不到这些字段，不能按它们筛选或查看其记录：{fields}', en: 'Your role cannot see these fields, nor filter or read by them: {fields}' },
  NOT_SELF: { 'zh-CN': '不能对自己执行此操作', en: 'You cannot do this to yourself' },
  ROLE_IN_USE: { 'zh-CN': '该角色仍有 {count} 名员工使用，不能删除', en: 'The role is still held by {count} users and cannot be deleted' },
  PRIVILEGE_ESCALATION: {
    'zh-CN': '不能授予自己没有的权限：{permissions}',
    en: 'You cannot grant permissions you do not hold: {permissions}',
  },
  SUPER_ADMIN_ONLY: { 'zh-CN': '只有超级管理员可以执行此操作', en: 'Only a super administrator can do this' },
  INVALID_REFERENCE: { 'zh-CN': '{field}不存在或已停用', en: '{field} does not exist or is disabled' },
  INVALID_CURSOR: { 'zh-CN': '分页参数无效，请从第一页重新加载', en: 'Invalid page cursor; reload from the first page' },
  PAYLOAD_TOO_LARGE: { 'zh-CN': '请求内容过大', en: 'The request is too large' },
  RATE_LIMITED: { 'zh-CN': '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' },
  BAD_REQUEST: { 'zh-CN': '请求格式有误', en: 'Malformed request' },
  INTERNAL: { 'zh-CN': '服务器内部错误，请稍后再试', en: 'Internal error; please try again later' },
  NOT_POOL_MEMBER: { 'zh-CN': '你不是该公海的成员', en: 'You are not a member of this pool' },
  NOT_POOL_ADMIN: { 'zh-CN': '只有该公海的管理员可以执行此操作', en: 'Only an administrator of this pool can do this' },
  NOT_IN_POOL: { 'zh-CN': '客户已不在公海中（可能已被他人领取）', en: 'The customer is no longer in the pool (someone may have claimed it)' },
  OWN_LIMIT: {
    'zh-CN': '拥有客户数已达上限（{limit} 个），请先放弃部分客户再领取',
    en: 'The limit of {limit} customers owned is reached; release some before claiming more',
  },
  CLAIM_LIMIT: { 'zh-CN': '今日领取次数已达上限（每天 {limit} 个），请明天再领取', en: 'The daily limit of {limit} claims is reached; try again tomorrow' },
  RECLAIM_DELAY: {
    'zh-CN': '你曾负责该客户，需等到 {date} 之后才能再次领取',
    en: 'You owned this customer before and may claim it again after {date}',
  },
  PROTECTION_LIMIT: { 'zh-CN': '保护客户数已达上限（{limit} 个）', en: 'The limit of {limit} protected customers is reached' },
  NO_POOL: { 'zh-CN': '你不属于任何公海，无法放入公海', en: 'You belong to no pool, so there is no pool to return the customer to' },
  DUPLICATE_RECORD: {
    'zh-CN': '{field}与已有记录“{name}”重复（负责人：{owner}）',
    en: '{field} duplicates the existing record “{name}” (owner: {owner})',
  },
  FILE_TYPE: { 'zh-CN': '不支持该文件类型，可上传：{types}', en: 'This file type is not accepted; allowed: {types}' },
  FILE_TOO_LARGE: { 'zh-CN': '文件不能超过 {mb} MB', en: 'Files may not exceed {mb} MB' },
  IMPORT_FILE_UNREADABLE: { 'zh-CN': '无法读取该文件：{reason}', en: 'The file cannot be read: {reason}' },
  IMPORT_NOT_DRAFT: { 'zh-CN': '该导入已开始，不能再修改', en: 'This import has started and cannot be changed' },
  IMPORT_NOT_FINISHED: { 'zh-CN': '导入尚未结束或已撤销', en: 'The import has not finished, or it was undone' },
  IMPORT_FINISHED: { 'zh-CN': '导入已结束', en: 'The import has finished' },
  EXPORT_NOT_READY: { 'zh-CN': '导出文件尚未生成或生成失败', en: 'The export file is not ready, or it failed' },
  POINTS_INSUFFICIENT: { 'zh-CN': '积分不足（当前 {balance} 分）', en: 'Not enough points (balance {balance})' },
  EXCHANGE_RATE_MISSING: { 'zh-CN': '没有 {currency} 在 {day} 的汇率，请先在“销售设置 → 币种与汇率”中录入', en: 'No {currency} exchange rate for {day}: add one under Sales settings → Currencies' },
  CONTRACT_NOT_EDITABLE: { 'zh-CN': '合同已提交审批或已生效，不能修改（当前状态：{status}）', en: 'The contract is submitted or in effect and cannot change (status {status})' },
  CONTRACT_NOT_ACTIVE: { 'zh-CN': '合同尚未生效', en: 'The contract is not in effect' },
  CONTRACT_HAS_RECEIVABLES: { 'zh-CN': '合同已有回款记录，不能删除', en: 'The contract has receivables and cannot be deleted' },
  CUSTOMER_HAS_CONTRACTS: { 'zh-CN': '客户有合同记录，不能彻底删除（合同与回款需要保留）', en: 'The customer has contracts and cannot be erased (contracts and receivables are kept)' },
  TEMPLATE_IN_USE: { 'zh-CN': '模板已被合同使用，不能删除，可以停用', en: 'The template is used by contracts: disable it instead' },
  PLANS_EXCEED_CONTRACT: { 'zh-CN': '回款计划合计 {total} 超过合同金额 {amount}', en: 'The payment plans add up to {total}, more than the contract amount {amount}' },
  PLAN_HAS_RECEIVABLES: { 'zh-CN': '该期计划已有回款，不能删除', en: 'This instalment has receivables and cannot be deleted' },
  RECEIVABLE_EXCEEDS_BALANCE: { 'zh-CN': '回款金额超过合同未回款余额 {balance}', en: 'The amount exceeds what remains to be received on the contract ({balance})' },
  RECEIVABLE_NOT_EDITABLE: { 'zh-CN': '回款已提交审批或已通过，不能修改', en: 'The receivable is submitted or approved and cannot change' },
  ALREADY_DECIDED: { 'zh-CN': '该申请已处理', en: 'This application has already been decided' },
  // quotes (SAL-5)
  QUOTE_NOT_EDITABLE: { 'zh-CN': '报价单已提交审批、已发送或已被新版本替代，不能修改（当前状态：{status}）', en: 'The quote is submitted, sent or superseded and cannot change (status {status})' },
  QUOTE_BAD_STATUS: { 'zh-CN': '报价单当前状态（{status}）不能执行此操作', en: 'This cannot be done to a quote in status {status}' },
  QUOTE_SUPERSEDED: { 'zh-CN': '该版本已被新版本替代，只能操作最新版本', en: 'A newer version replaced this one; only the latest version can be acted on' },
  QUOTE_DISCOUNT_NEEDS_APPROVAL: {
    'zh-CN': '报价折扣 {discount}% 超过你的折扣权限 {limit}%，请先提交审批，审批通过后才能发送',
    en: 'The discount of {discount}% exceeds your limit of {limit}%: submit the quote for approval before sending it',
  },
  QUOTE_DISCOUNT_NEEDS_FLOW: {
    'zh-CN': '报价折扣 {discount}% 超过折扣权限 {limit}%，需要审批，但没有适用于报价单的审批流程，请联系管理员在“审批设置”中添加',
    en: 'The discount of {discount}% exceeds the limit of {limit}% and needs approval, but no approval flow applies to quotes: ask an administrator to add one under Approval settings',
  },
  QUOTE_ALREADY_CONVERTED: { 'zh-CN': '该报价单已转为合同 {contract}', en: 'The quote was already converted into contract {contract}' },
  PDF_FONT_MISSING: {
    'zh-CN': '服务器上没有可用的中文字体，无法生成 PDF：请安装 fonts-wqy-microhei（或 fonts-noto-cjk），或用环境变量 CRM_PDF_FONT 指定字体文件',
    en: 'No Chinese font on the server, so no PDF can be made: install fonts-wqy-microhei (or fonts-noto-cjk), or point CRM_PDF_FONT at a font file',
  },
  // opportunities (SAL-1)
  STAGE_IN_USE: { 'zh-CN': '阶段“{stage}”中还有 {count} 个商机，请先把它们移到其他阶段', en: 'The stage “{stage}” still holds {count} opportunities; move them to another stage first' },
  DEFAULT_PIPELINE: { 'zh-CN': '默认销售流程不能停用，请先把其他流程设为默认', en: 'The default pipeline cannot be disabled; make another one the default first' },
  LOST_REASON_IN_USE: { 'zh-CN': '已有商机使用输单原因“{reason}”，不能删除，请改为停用', en: 'Opportunities give the lost reason “{reason}”, so it cannot be deleted; disable it instead' },
  OPPORTUNITY_CLOSED: { 'zh-CN': '该商机已是这个结果', en: 'The opportunity already has this outcome' },
  OPPORTUNITY_OPEN: { 'zh-CN': '该商机未结束，无需重新打开', en: 'The opportunity is still open' },
  // approvals (COL-3)
  RECORD_UNDER_APPROVAL: { 'zh-CN': '该记录正在审批中，不能修改；如需修改请先撤回', en: 'The record is under approval and cannot be changed; withdraw it first' },
  APPROVAL_NO_TEMPLATE: { 'zh-CN': '没有适用于“{type}”的审批流程，请联系管理员设置', en: 'No approval flow applies to “{type}”; ask an administrator to set one up' },
  APPROVAL_NO_APPROVER: { 'zh-CN': '审批步骤“{step}”找不到审批人，请联系管理员检查流程或组织架构', en: 'Nobody can approve the step “{step}”; ask an administrator to check the flow or the organisation' },
  APPROVAL_NOT_APPROVER: { 'zh-CN': '你不是当前步骤的待审批人', en: 'You are not an open approver of the current step' },
  APPROVAL_NOT_SUBMITTER: { 'zh-CN': '只有提交人可以执行此操作', en: 'Only the submitter can do this' },
  APPROVAL_NOT_PENDING: { 'zh-CN': '该审批已结束，不能再处理', en: 'This approval has ended and accepts no more decisions' },
  APPROVAL_NOT_RESUBMITTABLE: { 'zh-CN': '只有被驳回或已撤回的审批可以重新提交', en: 'Only a rejected or withdrawn approval can be resubmitted' },
  APPROVAL_TEMPLATE_IN_USE: { 'zh-CN': '已有审批使用了该流程，不能删除，请改为停用', en: 'Approvals came from this flow, so it cannot be deleted; disable it instead' },
  // sales targets (SAL-9)
  TARGET_OUT_OF_SCOPE: { 'zh-CN': '“{name}”不在你的数据权限范围内，不能设置其销售目标', en: '“{name}” is outside your data scope; you cannot set their targets' },
  // customer relationship chain (CUS-5)
  RELATION_SELF: { 'zh-CN': '客户不能与自己建立关系', en: 'A customer cannot be linked to itself' },
  RELATION_DUPLICATE: { 'zh-CN': '这两个客户之间已有该关系', en: 'These two customers are already linked this way' },
  RELATION_HAS_PARENT: { 'zh-CN': '该客户已有上级公司或上级机构', en: 'This customer already has a parent company or head office' },
  RELATION_CYCLE: { 'zh-CN': '不能把客户的下级设为它的上级（会形成循环）', en: 'A customer’s own subsidiary or branch cannot become its parent (a cycle)' },
  DEFAULT_TEMPLATE: { 'zh-CN': '默认模板不能删除，请先把其他模板设为默认', en: 'The default template cannot be deleted; make another one the default first' },
  // products and currencies (SAL-4, SAL-11)
  CATEGORY_HAS_CHILDREN: { 'zh-CN': '该分类下还有子分类，不能删除', en: 'The category has sub-categories and cannot be deleted' },
  CATEGORY_HAS_PRODUCTS: { 'zh-CN': '该分类下还有 {count} 个产品，不能删除', en: 'The category still holds {count} products and cannot be deleted' },
  STOCK_INSUFFICIENT: { 'zh-CN': '库存不足：当前库存 {stock} {unit}，不能出库 {quantity} {unit}', en: 'Not enough stock: {stock} {unit} on hand, cannot take out {quantity} {unit}' },
  COMPANY_CURRENCY_IN_USE: {
    'zh-CN': '已有 {rates} 条汇率和 {products} 个外币产品以本位币 {currency} 计价，不能再更改本位币',
    en: '{rates} exchange rates and {products} foreign-currency products are expressed against {currency}; the company currency can no longer change',
  },
  COMPANY_CURRENCY_DISABLED: { 'zh-CN': '本位币不能停用', en: 'The company currency cannot be disabled' },
} satisfies Catalog;

export type ErrorCode = keyof typeof ERROR_MESSAGES;

/** Messages for field-level rules of our own (zod's built-in ones come from its locales). */
export const FIELD_MESSAGES: Catalog = {
  mobile: { 'zh-CN': '请输入正确的 11 位手机号', en: 'Enter a valid 11-digit mobile number' },
  mobileOrEmail: { 'zh-CN': '手机号和邮箱至少填写一项', en: 'Enter a mobile number or an e-mail address' },
  duplicate: { 'zh-CN': '已存在', en: 'already exists' },
  invalid: { 'zh-CN': '不存在或已停用', en: 'does not exist or is disabled' },
  cycle: { 'zh-CN': '不能设置为自己或自己的下级', en: 'cannot be itself or one of its descendants' },
  required: { 'zh-CN': '请填写此项', en: 'Required' },
  wrong: { 'zh-CN': '不正确', en: 'is wrong' },
  isOwner: { 'zh-CN': '该员工已是负责人', en: 'This user is already the owner' },
  unknownKey: { 'zh-CN': '不允许设置该字段', en: 'This field cannot be set' },
  unknownColumn: { 'zh-CN': '没有可导出的这一列', en: 'There is no such column to export' },
  phone: { 'zh-CN': '请输入正确的电话号码（座机或手机）', en: 'Enter a valid landline or mobile number' },
  creditCode: { 'zh-CN': '统一社会信用代码不正确（18 位，末位为校验码）', en: 'Invalid unified social credit code (18 characters with a check character)' },
  money: { 'zh-CN': '请输入金额，最多两位小数', en: 'Enter an amount with at most two decimals' },
  postcode: { 'zh-CN': '邮政编码为 6 位数字', en: 'A postcode has six digits' },
  dictCode: { 'zh-CN': '编码只能包含小写字母、数字和下划线', en: 'Codes use lower-case letters, digits and underscores' },
  region: { 'zh-CN': '省、市、区不匹配', en: 'Province, city and district do not match' },
  notAllowedTransition: { 'zh-CN': '不能从当前状态改为该状态', en: 'The status cannot change from the current one to this' },
  fileType: { 'zh-CN': '不支持该文件类型', en: 'This file type is not accepted' },
  disabled: { 'zh-CN': '选项不存在或已停用', en: 'No such option, or it is disabled' },
  relationSelf: { 'zh-CN': '不能选择客户自己', en: 'cannot be the customer itself' },
  relationDuplicate: { 'zh-CN': '已有该关系', en: 'already linked this way' },
  relationParent: { 'zh-CN': '已有上级', en: 'already has a parent' },
  relationCycle: { 'zh-CN': '会形成循环', en: 'would make a cycle' },
  outsidePaper: { 'zh-CN': '位置超出了纸张范围', en: 'This position is outside the paper' },
  mappingRequired: { 'zh-CN': '必填字段没有对应的列', en: 'A required field has no column' },
  mappingTwice: { 'zh-CN': '同一字段对应了多列', en: 'A field is mapped to several columns' },
  mappingColumns: { 'zh-CN': '列数与文件不一致', en: 'The column count does not match the file' },
  scoreRange: { 'zh-CN': '最低分不能大于最高分', en: 'The minimum cannot exceed the maximum' },
};

export const FIELD_NAMES: Catalog = {
  mobile: { 'zh-CN': '手机号', en: 'Mobile number' },
  email: { 'zh-CN': '邮箱', en: 'E-mail' },
  name: { 'zh-CN': '名称', en: 'Name' },
  departmentId: { 'zh-CN': '部门', en: 'Department' },
  superiorId: { 'zh-CN': '直属上级', en: 'Direct superior' },
  roleIds: { 'zh-CN': '角色', en: 'Role' },
  ownerId: { 'zh-CN': '负责人', en: 'Owner' },
  parentId: { 'zh-CN': '上级部门', en: 'Parent department' },
  userId: { 'zh-CN': '员工', en: 'User' },
  code: { 'zh-CN': '编号', en: 'Code' },
  creditCode: { 'zh-CN': '统一社会信用代码', en: 'Credit code' },
  customerId: { 'zh-CN': '客户', en: 'Customer' },
  phone: { 'zh-CN': '电话', en: 'Phone' },
};

export function format(template: string, params: Record<string, unknown> = {}): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

export function message(locale: Locale, code: ErrorCode, params?: Record<string, unknown>): string {
  const localized = Object.fromEntries(
    Object.entries(params ?? {}).map(([k, v]) => [k, typeof v === 'string' && FIELD_NAMES[v] ? FIELD_NAMES[v][locale] : v]),
  );
  return format(ERROR_MESSAGES[code][locale], localized);
}

export function fieldMessage(locale: Locale, key: string): string | undefined {
  return FIELD_MESSAGES[key]?.[locale];
}

/** zh-CN unless the caller clearly prefers English. */
export function localeFromHeader(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  const first = header.split(',')[0]?.trim().toLowerCase() ?? '';
  if (first.startsWith('en')) return 'en';
  if (first.startsWith('zh')) return 'zh-CN';
  return undefined;
}
