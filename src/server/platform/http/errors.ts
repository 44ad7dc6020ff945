import type { ErrorCode } from '../i18n/messages.js';

const STATUS: Partial<Record<ErrorCode, number>> = {
  VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  TENANT_REQUIRED: 400,
  INVALID_CURSOR: 400,
  TREE_CYCLE: 400,
  INVALID_REFERENCE: 400,
  WRONG_PASSWORD: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  CSRF_FAILED: 403,
  ACCOUNT_DISABLED: 403,
  PRIVILEGE_ESCALATION: 403,
  SUPER_ADMIN_ONLY: 403,
  NOT_SELF: 403,
  RECORD_READ_ONLY: 403,
  FIELD_READ_ONLY: 403,
  BIN_PARENT_DELETED: 409,
  BIN_RECORD_IN_USE: 409,
  FIELD_HIDDEN: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  DUPLICATE: 409,
  NOT_POOL_MEMBER: 403,
  NOT_POOL_ADMIN: 403,
  NOT_IN_POOL: 409,
  OWN_LIMIT: 409,
  CLAIM_LIMIT: 409,
  RECLAIM_DELAY: 409,
  PROTECTION_LIMIT: 409,
  NO_POOL: 409,
  ALREADY_DECIDED: 409,
  // approvals
  RECORD_UNDER_APPROVAL: 409,
  APPROVAL_NO_TEMPLATE: 409,
  APPROVAL_NO_APPROVER: 409,
  APPROVAL_NOT_APPROVER: 403,
  APPROVAL_NOT_SUBMITTER: 403,
  APPROVAL_NOT_PENDING: 409,
  APPROVAL_NOT_RESUBMITTABLE: 409,
  APPROVAL_TEMPLATE_IN_USE: 409,
  RELATION_SELF: 400,
  RELATION_CYCLE: 400,
  RELATION_DUPLICATE: 409,
  RELATION_HAS_PARENT: 409,
  POINTS_INSUFFICIENT: 409,
  EXCHANGE_RATE_MISSING: 409,
  CONTRACT_NOT_EDITABLE: 409,
  CONTRACT_NOT_ACTIVE: 409,
  CONTRACT_HAS_RECEIVABLES: 409,
  CUSTOMER_HAS_CONTRACTS: 409,
  TEMPLATE_IN_USE: 409,
  PLANS_EXCEED_CONTRACT: 409,
  PLAN_HAS_RECEIVABLES: 409,
  RECEIVABLE_EXCEEDS_BALANCE: 409,
  RECEIVABLE_NOT_EDITABLE: 409,
  QUOTE_NOT_EDITABLE: 409,
  QUOTE_BAD_STATUS: 409,
  QUOTE_SUPERSEDED: 409,
  QUOTE_DISCOUNT_NEEDS_APPROVAL: 409,
  QUOTE_DISCOUNT_NEEDS_FLOW: 409,
  QUOTE_ALREADY_CONVERTED: 409,
  PDF_FONT_MISSING: 503,
  STAGE_IN_USE: 409,
  DEFAULT_PIPELINE: 409,
  LOST_REASON_IN_USE: 409,
  OPPORTUNITY_CLOSED: 409,
  OPPORTUNITY_OPEN: 409,
  DEFAULT_TEMPLATE: 409,
  FILE_TYPE: 400,
  FILE_TOO_LARGE: 413,
  IMPORT_FILE_UNREADABLE: 400,
  IMPORT_NOT_DRAFT: 409,
  IMPORT_NOT_FINISHED: 409,
  IMPORT_FINISHED: 409,
  EXPORT_NOT_READY: 409,
  DUPLICATE_RECORD: 409,
  DEPARTMENT_HAS_CHILDREN: 409,
  DEPARTMENT_HAS_MEMBERS: 409,
  ROOT_DEPARTMENT: 409,
  LAST_SUPER_ADMIN: 409,
  ROLE_IN_USE: 409,
  PAYLOAD_TOO_LARGE: 413,
  ACCOUNT_LOCKED: 423,
  RATE_LIMITED: 429,
  // products and currencies (SAL-4, SAL-11)
  CATEGORY_HAS_CHILDREN: 409,
  CATEGORY_HAS_PRODUCTS: 409,
  STOCK_INSUFFICIENT: 409,
  COMPANY_CURRENCY_IN_USE: 409,
  COMPANY_CURRENCY_DISABLED: 409,
  TARGET_OUT_OF_SCOPE: 403,
  INTERNAL: 500,
};

export interface FieldError {
  path: string;
  /** A key of FIELD_MESSAGES or an already localized message. */
  message: string;
}

/** An error meant for the caller: a code, message parameters and the fields at fault. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, unknown> = {},
    readonly fields: FieldError[] = [],
  ) {
    super(code);
    this.status = STATUS[code] ?? 400;
  }
}

export const notFound = () => new AppError('NOT_FOUND');

/** Maps a unique violation on a known index to a DUPLICATE error on the field it guards. */
export function duplicateFrom(err: unknown, indexToField: Record<string, string>): AppError | undefined {
  const e = err as { code?: string; constraint?: string; message?: string };
  if (e?.code !== '23505') return undefined;
  const index = e.constraint ?? Object.keys(indexToField).find((k) => e.message?.includes(k));
  const field = index ? indexToField[index] : undefined;
  if (!field) return undefined;
  return new AppError('DUPLICATE', { field }, [{ path: field, message: 'duplicate' }]);
}
