import { z } from 'zod';
import { Id, PageQuery } from './common.js';
import { DictCode } from './dictionaries.js';

export const POOL_RULE_KINDS = ['no_followup', 'no_deal', 'never_contacted'] as const;
export type PoolRuleKind = (typeof POOL_RULE_KINDS)[number];

const Limit = z.number().int().min(1).max(100_000).nullable().optional();

export const PoolRuleInput = z
  .object({
    kind: z.enum(POOL_RULE_KINDS),
    /** Customers of this level; null: every level without a rule of its own. */
    levelCode: DictCode.nullable().default(null),
    days: z.number().int().min(1).max(3650),
  })
  .strict();

export const PoolMemberInput = z
  .object({ type: z.enum(['user', 'department']), id: Id, isAdmin: z.boolean().default(false) })
  .strict();

export const PoolInput = z
  .object({
    name: z.string().trim().min(1).max(50),
    enabled: z.boolean().default(true),
    /** Most customers a member may own; claims and assignments past it are refused. */
    maxOwned: Limit,
    maxClaimsPerDay: Limit,
    /** A former owner may claim the customer again only after this many days. */
    reclaimDelayDays: Limit,
    /** Remind the owner this many days before a customer is recycled. */
    reminderDays: Limit,
    /** Customers a member may protect at once (客户保护), and for how many days. */
    protectionLimit: Limit,
    protectionDays: Limit,
    members: z.array(PoolMemberInput).max(500),
    rules: z.array(PoolRuleInput).max(50),
  })
  .strict();
export type PoolInput = z.output<typeof PoolInput>;

export const PoolCustomerQuery = PageQuery.extend({
  q: z.string().trim().min(1).max(100).optional(),
  levelCode: DictCode.optional(),
}).strict();

export const PoolCustomerParams = z.object({ id: Id, customerId: Id }).strict();
export const AssignBody = z.object({ customerIds: z.array(Id).min(1).max(500), userId: Id }).strict();
export const ReturnBody = z
  .object({
    reason: z.string().trim().min(1).max(500),
    /** Which pool; default: the owner's pool. */
    poolId: Id.optional(),
  })
  .strict();
export const ApplyBody = z.object({ reason: z.string().trim().min(1).max(500) }).strict();
export const DecisionBody = z.object({ approve: z.boolean(), note: z.string().trim().max(500).optional() }).strict();
export const ApplicationQuery = z.object({ status: z.enum(['pending', 'approved', 'rejected', 'cancelled']).default('pending') }).strict();

export interface PoolDto {
  id: number;
  name: string;
  enabled: boolean;
  maxOwned: number | null;
  maxClaimsPerDay: number | null;
  reclaimDelayDays: number | null;
  reminderDays: number | null;
  protectionLimit: number | null;
  protectionDays: number | null;
  members: { type: 'user' | 'department'; id: number; name: string; isAdmin: boolean }[];
  rules: { kind: PoolRuleKind; levelCode: string | null; days: number }[];
  /** For the caller: may claim / may assign and manage applications. */
  isMember: boolean;
  isAdmin: boolean;
  customerCount: number;
}

export interface PoolCustomerDto {
  id: number;
  code: string;
  name: string;
  levelCode: string | null;
  industryCode: string | null;
  regionName: string | null;
  pooledAt: string;
  lastFollowupAt: string | null;
  /** The last owner, for the caller's information. */
  previousOwnerName: string | null;
}
