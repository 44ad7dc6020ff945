import { z } from 'zod';
import { DATA_SCOPES, PERMISSION_GROUPS, PERMISSIONS, SCOPED_MODULES } from '../../../common/permissions.js';
import { Id, IdParams } from '../../../common/schemas/common.js';
import {
  DepartmentCreate,
  DepartmentUpdate,
  ResetPasswordBody,
  RoleCreate,
  RoleUpdate,
  UserCreate,
  UserListQuery,
  UserStatusBody,
  UserUpdate,
} from '../../../common/schemas/org.js';
import { defineRoute } from '../../platform/http/route.js';
import * as departments from './departments.service.js';
import * as roles from './roles.service.js';
import * as users from './users.service.js';

export const orgRoutes = [
  // departments
  defineRoute({
    method: 'GET', url: '/api/v1/departments', permission: 'department.view', tag: 'org',
    summary: 'The department tree as a flat list (nest by parentId)',
    handler: ({ actor }) => departments.listDepartments(actor).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/departments', permission: 'department.manage', tag: 'org', status: 201,
    summary: 'Create a department', body: DepartmentCreate,
    handler: ({ actor, body }) => departments.createDepartment(actor, body),
  }),
  defineRoute({
    method: 'PATCH', url: '/api/v1/departments/:id', permission: 'department.manage', tag: 'org',
    summary: 'Rename, reorder or move a department', params: IdParams, body: DepartmentUpdate,
    handler: ({ actor, params, body }) => departments.updateDepartment(actor, params.id, body),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/departments/:id', permission: 'department.manage', tag: 'org',
    summary: 'Delete a department (refused while it has members or sub-departments)', params: IdParams,
    handler: ({ actor, params }) => departments.deleteDepartment(actor, params.id),
  }),

  // users
  defineRoute({
    method: 'GET', url: '/api/v1/users', permission: 'user.view', tag: 'org',
    summary: 'List users', query: UserListQuery,
    handler: ({ actor, query }) => users.listUsers(actor, query),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/users/:id', permission: 'user.view', tag: 'org',
    summary: 'One user', params: IdParams,
    handler: ({ actor, params }) => users.getUser(actor, params.id),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/users', permission: 'user.manage', tag: 'org', status: 201,
    summary: 'Create a user', body: UserCreate,
    handler: ({ actor, body }) => users.createUser(actor, body),
  }),
  defineRoute({
    method: 'PATCH', url: '/api/v1/users/:id', permission: 'user.manage', tag: 'org',
    summary: 'Change a user', params: IdParams, body: UserUpdate,
    handler: ({ actor, params, body }) => users.updateUser(actor, params.id, body),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/users/:id/status', permission: 'user.manage', tag: 'org',
    summary: 'Enable or disable a user (users are never deleted)', params: IdParams, body: UserStatusBody,
    handler: ({ actor, params, body }) => users.setUserStatus(actor, params.id, body.status),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/users/:id/password', permission: 'user.manage', tag: 'org',
    summary: "Set a user's password (signs the user out everywhere)", params: IdParams, body: ResetPasswordBody,
    handler: ({ actor, params, body }) => users.resetUserPassword(actor, params.id, body.password),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/users/:id/sessions', permission: 'user.manage', tag: 'org',
    summary: "A user's active sessions", params: IdParams,
    handler: ({ actor, params }) => users.listUserSessions(actor, params.id).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/users/:id/sessions/revoke', permission: 'user.manage', tag: 'org',
    summary: 'Sign a user out: every session, or one', params: IdParams,
    body: z.object({ sessionId: Id.optional() }).strict(),
    handler: ({ actor, params, body }) => users.revokeUserSessions(actor, params.id, body.sessionId),
  }),

  // roles
  defineRoute({
    method: 'GET', url: '/api/v1/roles', permission: 'role.view', tag: 'org',
    summary: 'List roles', handler: ({ actor }) => roles.listRoles(actor).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/roles/catalog', permission: 'role.view', tag: 'org',
    summary: 'Permission codes, their groups, scoped modules and data scopes (for the role editor)',
    handler: async () => ({ permissions: PERMISSIONS, groups: PERMISSION_GROUPS, modules: SCOPED_MODULES, scopes: DATA_SCOPES }),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/roles/:id', permission: 'role.view', tag: 'org',
    summary: 'One role', params: IdParams, handler: ({ actor, params }) => roles.getRole(actor, params.id),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/roles', permission: 'role.manage', tag: 'org', status: 201,
    summary: 'Create a role', body: RoleCreate, handler: ({ actor, body }) => roles.createRole(actor, body),
  }),
  defineRoute({
    method: 'PATCH', url: '/api/v1/roles/:id', permission: 'role.manage', tag: 'org',
    summary: "Change a role's name, permissions or data scopes", params: IdParams, body: RoleUpdate,
    handler: ({ actor, params, body }) => roles.updateRole(actor, params.id, body),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/roles/:id', permission: 'role.manage', tag: 'org',
    summary: 'Delete a role no user holds', params: IdParams,
    handler: ({ actor, params }) => roles.deleteRole(actor, params.id),
  }),
];
