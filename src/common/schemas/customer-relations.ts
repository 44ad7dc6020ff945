import { z } from 'zod';
import { Id } from './common.js';

/**
 * How relations are stored (CUS-5): the tree kinds point from parent to child;
 * `supplier` from the upstream supplier to its downstream dealer; affiliate and
 * partner are symmetric.
 */
export const RELATION_KINDS = ['subsidiary', 'branch', 'affiliate', 'supplier', 'partner'] as const;
export type RelationKind = (typeof RELATION_KINDS)[number];
export const TREE_KINDS: readonly RelationKind[] = ['subsidiary', 'branch'];

/**
 * What the other customer is to this one, which is how the API and the page
 * speak: "B is A's upstream supplier" is the same stored link as "A is B's
 * downstream dealer".
 */
export const RELATION_ROLES = ['parent_company', 'head_office', 'subsidiary', 'branch', 'affiliate', 'upstream', 'downstream', 'partner'] as const;
export type RelationRole = (typeof RELATION_ROLES)[number];

/** Role → stored kind, and whether the other customer is the stored `from` end. */
export const ROLE_LINK: Record<RelationRole, { kind: RelationKind; otherIsFrom: boolean }> = {
  parent_company: { kind: 'subsidiary', otherIsFrom: true },
  head_office: { kind: 'branch', otherIsFrom: true },
  subsidiary: { kind: 'subsidiary', otherIsFrom: false },
  branch: { kind: 'branch', otherIsFrom: false },
  affiliate: { kind: 'affiliate', otherIsFrom: false },
  upstream: { kind: 'supplier', otherIsFrom: true },
  downstream: { kind: 'supplier', otherIsFrom: false },
  partner: { kind: 'partner', otherIsFrom: false },
};

/** The role the other end plays, seen from `viewerIsFrom`'s side of a stored link. */
export function roleOf(kind: RelationKind, viewerIsFrom: boolean): RelationRole {
  const found = RELATION_ROLES.find((r) => ROLE_LINK[r].kind === kind && (kind === 'affiliate' || kind === 'partner' || ROLE_LINK[r].otherIsFrom === !viewerIsFrom));
  return found!;
}

export const RelationCreate = z.object({ customerId: Id, role: z.enum(RELATION_ROLES) }).strict();
export const RelationParams = z.object({ id: Id, relationId: Id }).strict();

/** A related customer; null fields when the caller may not see it (a placeholder keeps the tree's shape). */
export interface RelatedCustomerDto {
  id: number | null;
  code: string | null;
  name: string | null;
  hidden: boolean;
}

export interface RelationTreeNode {
  /** Unique within the tree: 'root' or the relation linking the node to its parent. */
  key: string;
  customer: RelatedCustomerDto;
  /** The link to its parent node (null for the top). */
  kind: 'subsidiary' | 'branch' | null;
  relationId: number | null;
  current: boolean;
  children: RelationTreeNode[];
}

export interface PeerRelationDto {
  relationId: number;
  role: RelationRole;
  customer: RelatedCustomerDto;
}

export interface CustomerRelationsDto {
  tree: RelationTreeNode;
  peers: PeerRelationDto[];
  canEdit: boolean;
}
