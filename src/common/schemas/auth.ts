import { z } from 'zod';
import type { FieldAccessMap } from '../field-access.js';
import { Locale, Password } from './common.js';

export const LoginBody = z
  .object({
    /** Mobile number or e-mail. */
    login: z.string().trim().min(1).max(254),
    password: z.string().min(1).max(200),
    /** Company code; needed only when the same login exists in several companies. */
    tenant: z.string().trim().min(1).max(50).optional(),
  })
  .strict();

export const ChangePasswordBody = z.object({ currentPassword: z.string().min(1).max(200), newPassword: Password }).strict();

/** An IANA time zone the runtime knows ('Asia/Shanghai'): the web shows date-times in it. */
export const TimeZone = z.string().refine((tz) => tz === 'UTC' || Intl.supportedValuesOf('timeZone').includes(tz), { error: 'invalid' });

export const PreferencesBody = z.object({ locale: Locale.optional(), timeZone: TimeZone.optional() }).strict();

export const CreateApiTokenBody = z
  .object({ name: z.string().trim().min(1).max(50), expiresInDays: z.number().int().min(1).max(3650).optional() })
  .strict();

export interface MeResponse {
  user: {
    id: number;
    name: string;
    email: string | null;
    mobile: string | null;
    departmentId: number;
    departmentName: string;
    isSuperAdmin: boolean;
    locale: 'zh-CN' | 'en';
    timeZone: string;
  };
  tenant: { id: number; code: string; name: string };
  permissions: string[];
  /** Data scope per module, already merged over the user's roles. */
  dataScopes: Record<string, string>;
  /** Field-level permissions (ORG-6), already merged over the user's roles; empty for a super administrator. */
  fieldAccess: FieldAccessMap;
  csrfToken: string | null;
}
