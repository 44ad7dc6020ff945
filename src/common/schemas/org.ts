import { z } from 'zod';
import { FIELD_ACCESS_ENTITIES, FIELD_ACCESS_LEVELS, type FieldAccessEntity, isRestrictable } from '../field-access.js';
import { DATA_SCOPE_KEYS, PERMISSION_CODES, SCOPED_MODULE_KEYS } from '../permissions.js';
import { Email, Id, Mobile, Name, PageQuery, Password } from './common.js';

// headUserId: the department's head (负责人), an approver kind of the approval flows
export const DepartmentCreate = z
  .object({ name: Name(50), parentId: Id, sort: z.number().int().min(0).max(100000).optional(), headUserId: Id.nullable().optional() })
  .strict();
export const DepartmentUpdate = z
  .object({ name: Name(50).optional(), parentId: Id.optional(), sort: z.number().int().min(0).max(100000).optional(), headUserId: Id.nullable().optional() })
  .strict();

export const Gender = z.enum(['male', 'female', 'unknown']);

const userFields = {
  name: Name(50),
  mobile: Mobile.nullable().optional(),
  email: Email.nullable().optional(),
  gender: Gender.default('unknown'),
  departmentId: Id,
  position: z.string().trim().max(50).nullable().optional(),
  superiorId: Id.nullable().optional(),
  roleIds: z.array(Id).max(20).default([]),
  isSuperAdmin: z.boolean().optional(),
};

export const UserCreate = z
  .object({ ...userFields, password: Password })
  .strict()
  .refine((u) => u.mobile || u.email, { error: 'mobileOrEmail', path: ['mobile'] });

export const UserUpdate = z
  .object({
    name: userFields.name.optional(),
    mobile: userFields.mobile,
    email: userFields.email,
    gender: Gender.optional(),
    departmentId: Id.optional(),
    position: userFields.position,
    superiorId: userFields.superiorId,
    roleIds: z.array(Id).max(20).optional(),
    isSuperAdmin: z.boolean().optional(),
  })
  .strict();

export const UserStatusBody = z.object({ status: z.enum(['active', 'disabled']) }).strict();
export const ResetPasswordBody = z.object({ password: Password }).strict();

export const UserListQuery = PageQuery.extend({
  q: z.string().trim().max(50).optional(),
  departmentId: Id.optional(),
  /** Include users of sub-departments of departmentId. */
  includeSubDepartments: z.stringbool().optional(),
  status: z.enum(['active', 'disabled']).optional(),
  roleId: Id.optional(),
}).strict();

export const ScopeMap = z.partialRecord(z.enum(SCOPED_MODULE_KEYS), z.enum(DATA_SCOPE_KEYS));

/** A role's field-level permissions (ORG-6): per entity, the restricted fields and their level. */
export const FieldAccessBody = z
  .partialRecord(z.enum(FIELD_ACCESS_ENTITIES), z.record(z.string().max(50), z.enum(FIELD_ACCESS_LEVELS)))
  .superRefine((map, ctx) => {
    for (const [entity, fields] of Object.entries(map) as [FieldAccessEntity, Record<string, string>][]) {
      for (const key of Object.keys(fields ?? {})) {
        if (!isRestrictable(entity, key)) ctx.addIssue({ code: 'custom', path: [entity, key], message: 'unknownKey' });
      }
    }
  });

export const RoleCreate = z
  .object({
    name: Name(30),
    description: z.string().trim().max(200).nullable().optional(),
    permissions: z.array(z.enum(PERMISSION_CODES)).max(PERMISSION_CODES.length),
    dataScopes: ScopeMap.default({}),
    fieldAccess: FieldAccessBody.default({}),
  })
  .strict();
export const RoleUpdate = z
  .object({
    name: Name(30).optional(),
    description: z.string().trim().max(200).nullable().optional(),
    permissions: z.array(z.enum(PERMISSION_CODES)).max(PERMISSION_CODES.length).optional(),
    dataScopes: ScopeMap.optional(),
    fieldAccess: FieldAccessBody.optional(),
  })
  .strict();

export const ExplainQuery = z.object({ userId: Id, entity: z.enum(SCOPED_MODULE_KEYS), recordId: Id }).strict();
