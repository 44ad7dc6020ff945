import { z } from 'zod';
import { Id, PageQuery } from './common.js';
import { DictCode } from './dictionaries.js';

export const FOLLOWUP_ENTITIES = ['customer', 'contact', 'lead'] as const;
export type FollowupEntity = (typeof FOLLOWUP_ENTITIES)[number];

const DateTime = z.iso.datetime({ offset: true });

export const FollowupCreate = z
  .object({
    entityType: z.enum(FOLLOWUP_ENTITIES),
    entityId: Id,
    typeCode: DictCode,
    content: z.string().trim().min(1).max(5000),
    /** On a customer: the contact spoken to. */
    contactId: Id.nullable().optional(),
    /** When to get in touch next; lands in the author's upcoming list. */
    nextContactAt: DateTime.nullable().optional(),
  })
  .strict();

export const FollowupListQuery = PageQuery.extend({
  entityType: z.enum(FOLLOWUP_ENTITIES),
  entityId: Id,
}).strict();

export const UpcomingQuery = z
  .object({
    /** Up to this many days ahead; overdue ones always come first. */
    days: z.coerce.number().int().min(1).max(90).default(7),
  })
  .strict();

export const CommentCreate = z.object({ content: z.string().trim().min(1).max(2000) }).strict();

export const TemplateCreate = z
  .object({
    name: z.string().trim().min(1).max(50),
    typeCode: DictCode.nullable().optional(),
    content: z.string().trim().min(1).max(5000),
    /** Visible to everyone in the company, not only the author. */
    shared: z.boolean().default(false),
  })
  .strict();

export const TimelineQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(30),
    /** The `at` of the last item seen; older items follow. */
    before: DateTime.optional(),
  })
  .strict();

export interface FollowupCommentDto {
  id: number;
  authorId: number;
  authorName: string;
  content: string;
  createdAt: string;
}

export interface FollowupDto {
  id: number;
  entityType: FollowupEntity;
  entityId: number;
  customerId: number | null;
  customerName: string | null;
  leadId: number | null;
  leadName: string | null;
  contactId: number | null;
  contactName: string | null;
  typeCode: string;
  content: string;
  nextContactAt: string | null;
  nextContactDone: boolean;
  createdBy: number;
  createdByName: string;
  createdAt: string;
  comments: FollowupCommentDto[];
}

export interface TemplateDto {
  id: number;
  name: string;
  typeCode: string | null;
  content: string;
  shared: boolean;
  ownerId: number;
  ownerName: string;
}

/** One entry of a record's timeline: a follow-up or a change from the operation log. */
export type TimelineItem =
  | { kind: 'followup'; at: string; followup: FollowupDto }
  | { kind: 'change'; at: string; change: { id: number; actorName: string | null; entity: string; action: string; changes: { field: string; before: unknown; after: unknown }[] } };
