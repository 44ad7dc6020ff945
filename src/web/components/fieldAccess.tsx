import { ConfigProvider } from 'antd';
import { type ReactNode, useMemo } from 'react';
import type { FieldAccessEntity } from '../../common/field-access';
import { useSession } from '../app/session';

/**
 * What the signed-in user's roles allow on an entity's fields (ORG-6): a
 * hidden field is left out of forms, lists and details (the server sends it
 * empty anyway), a read-only one shows but cannot be changed.
 */
export function useFieldAccess(entity: FieldAccessEntity) {
  const { me } = useSession();
  const levels = me?.fieldAccess?.[entity];
  return useMemo(
    () => ({
      hidden: (key: string) => levels?.[key] === 'hidden',
      readonly: (key: string) => levels?.[key] === 'readonly',
    }),
    [levels],
  );
}

type FieldAccess = ReturnType<typeof useFieldAccess>;

/** A form's column for a field the roles may restrict: left out when hidden, its inputs disabled when read-only. */
export function FieldGate({ access, field, children }: { access: FieldAccess; field: string; children: ReactNode }) {
  if (access.hidden(field)) return null;
  return access.readonly(field) ? <ConfigProvider componentDisabled>{children}</ConfigProvider> : children;
}

/** A list's columns without those of hidden fields (the values would all be empty). */
export const withoutHidden = <C extends { key?: unknown }>(access: FieldAccess, columns: C[]): C[] => columns.filter((c) => !access.hidden(String(c.key)));
