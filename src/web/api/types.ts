/**
 * Shapes of the server's answers, as the web app uses them. Request bodies are
 * typed by the zod schemas in src/common; answers that src/common does not
 * describe yet are written out here.
 */
import type { FieldAccessMap } from '../../common/field-access';
import type { DataScope, ScopedModule } from '../../common/permissions';
import type { FieldChange } from '../../common/schemas/audit';
import type { Page } from '../../common/schemas/common';
import type { ContactDto, ContactLinkDto } from '../../common/schemas/contacts';
import type { AddressDto, CustomerDetailDto, CustomerDto } from '../../common/schemas/customers';
import type { DictionaryItemDto, DictionaryKind } from '../../common/schemas/dictionaries';
import type { FollowupCommentDto, FollowupDto, TemplateDto, TimelineItem } from '../../common/schemas/followups';
import type { DuplicateEntity, DuplicateField, DuplicateMode } from '../../common/schemas/duplicates';
import type { LeadDto } from '../../common/schemas/leads';

export type { MeResponse } from '../../common/schemas/auth';
export type {
  AddressDto,
  ContactDto,
  ContactLinkDto,
  CustomerDto,
  DictionaryItemDto,
  DictionaryKind,
  FieldChange,
  FollowupCommentDto,
  FollowupDto,
  Page,
  TemplateDto,
  TimelineItem,
};

export interface Department {
  id: number;
  parentId: number | null;
  name: string;
  sort: number;
  /** The department head (负责人): approver of "department head" approval steps. */
  headUserId: number | null;
  headUserName: string | null;
  memberCount: number;
  createdAt: string;
  updatedAt: string;
}

export type Gender = 'male' | 'female' | 'unknown';
export type UserStatus = 'active' | 'disabled';

export interface User {
  id: number;
  name: string;
  mobile: string | null;
  email: string | null;
  gender: Gender;
  departmentId: number;
  departmentName: string;
  position: string | null;
  superiorId: number | null;
  superiorName: string | null;
  status: UserStatus;
  isSuperAdmin: boolean;
  roles: { id: number; name: string }[];
  lastLoginAt: string | null;
  lockedUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Role {
  id: number;
  /** Set on the roles every company starts with. */
  code: string | null;
  name: string;
  description: string | null;
  permissions: string[];
  dataScopes: Partial<Record<ScopedModule, DataScope>>;
  /** Field-level permissions (ORG-6): per entity, field → hidden | readonly. */
  fieldAccess: FieldAccessMap;
  userCount: number;
  createdAt: string;
  updatedAt: string;
}

/** GET /customers/:id: the whole profile, its addresses and what the caller may do. */
export type CustomerDetail = CustomerDetailDto;

/** GET /contacts/:id: the contact, the customers it worked for, and what the caller may do. */
export interface ContactDetail extends ContactDto {
  links: ContactLinkDto[];
  allowed: { edit: boolean; delete: boolean };
}

/** GET /dictionaries: every dictionary of the company, disabled items included. */
export type Dictionaries = Record<DictionaryKind, DictionaryItemDto[]>;

/** GET /followups/upcoming: my planned contacts, soonest first; `overdue` of them are past. */
export interface Upcoming {
  items: FollowupDto[];
  overdue: number;
}

/** GET /customers/:id/timeline: `nextBefore` asks for the older items. */
export interface Timeline {
  items: TimelineItem[];
  nextBefore: string | null;
}

export type AccessLevel = 'read' | 'write';
export type MemberKind = 'team' | 'share';

export interface RecordMember {
  userId: number;
  userName: string;
  kind: MemberKind;
  access: AccessLevel;
  grantedBy: number | null;
  grantedByName: string | null;
  createdAt: string;
}

export interface Operation {
  id: number;
  at: string;
  actorId: number | null;
  actorName: string | null;
  ip: string | null;
  userAgent: string | null;
  entity: string;
  recordId: number | null;
  recordName: string | null;
  action: string;
  changes: FieldChange[];
}

export type LoginResult = 'success' | 'bad_password' | 'locked' | 'unknown_user' | 'disabled' | 'tenant_required';

export interface LoginLogEntry {
  id: number;
  at: string;
  userId: number | null;
  userName: string | null;
  login: string;
  result: LoginResult;
  ip: string | null;
  userAgent: string | null;
}

export interface Session {
  id: number;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  /** The session making the request (this browser). */
  current: boolean;
}

export interface ApiToken {
  id: number;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

export type Grant =
  | { rule: 'super_admin' }
  | { rule: 'owner' }
  | { rule: 'role_scope'; roleId: number; roleName: string; scope: DataScope }
  | { rule: 'team' | 'share'; access: AccessLevel; grantedBy: number | null };

export interface ExplainResult {
  user: { id: number; name: string };
  record: { id: number; name: string; ownerId: number | null; ownerName: string | null };
  hasViewPermission: boolean;
  visible: boolean;
  grants: Grant[];
}

/** A page that also carries the number of all matches (the users list does). */
export type CountedPage<T> = Page<T> & { total?: number };

export type { LeadDto, LeadStatus } from '../../common/schemas/leads';
export type { PoolDto, PoolCustomerDto, PoolRuleKind } from '../../common/schemas/pool';
export type { DuplicateMatchDto, DuplicateEntity, DuplicateField, DuplicateMode } from '../../common/schemas/duplicates';

/** GET /leads/:id: the lead and what the caller may do with it. */
export interface LeadDetail extends LeadDto {
  allowed: { edit: boolean; convert: boolean; assign: boolean; delete: boolean };
}

/** GET /lead-rules (and the answer of PUT). */
export interface LeadRules {
  assignment: {
    name: string;
    priority: number;
    enabled: boolean;
    sourceCode: string | null;
    industryCode: string | null;
    provinceCode: string | null;
    method: 'round_robin' | 'least_loaded';
    userIds: number[];
  }[];
  scoring: { field: ScoreField; value: string | null; points: number }[];
}
export type ScoreField = 'source_code' | 'industry_code' | 'province_code' | 'mobile' | 'email' | 'company' | 'followups';

/** GET /lead-forms: public web forms. */
export interface LeadForm {
  id: number;
  token: string;
  name: string;
  sourceCode: string | null;
  enabled: boolean;
}

export type ApplicationStatus = 'pending' | 'approved' | 'rejected' | 'cancelled';

/** A request for a pool customer (申请), decided by a pool administrator. */
export interface PoolApplication {
  id: number;
  poolId: number;
  customerId: number;
  customerName: string;
  applicantId: number;
  applicantName: string;
  reason: string;
  status: ApplicationStatus;
  decidedByName: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  createdAt: string;
}

export type AttachmentEntity = 'customer' | 'contact' | 'lead' | 'followup' | 'product' | 'opportunity' | 'expense' | 'contract';

export interface Attachment {
  id: number;
  entityType: AttachmentEntity;
  entityId: number;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  uploadedBy: number | null;
  uploadedByName: string | null;
  createdAt: string;
}

/** GET /notifications: mine, newest first. */
export interface NotificationItem {
  id: number;
  kind: string;
  /** For the pool notifications: the customer's name. */
  title: string;
  /** For the pool notifications: "rule:days", e.g. "no_followup:30". */
  body: string | null;
  entityType: string | null;
  entityId: number | null;
  createdAt: string;
  read: boolean;
}

export interface Notifications {
  unread: number;
  items: NotificationItem[];
}

export type { BinEntity } from '../../common/schemas/recycle-bin';

/** A deleted customer or contact in the recycle bin. */
export interface BinItem {
  id: number;
  code: string;
  name: string;
  /** A customer: its owner; a contact: its customer. */
  detail: string | null;
  deletedAt: string;
  deletedByName: string | null;
}

export interface DuplicateRule {
  entity: DuplicateEntity;
  field: DuplicateField;
  mode: DuplicateMode;
}
