import { Typography } from 'antd';
import { type ReactNode, useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { DuplicateEntity, DuplicateField, DuplicateMatchDto } from '../api/types';

/** The form field (the API's name) of each rule field. */
const API_FIELD: Record<DuplicateField, string> = { name: 'name', phone: 'phone', email: 'email', credit_code: 'creditCode', mobile: 'mobile' };

export interface DuplicateHint {
  mode: 'warn' | 'refuse';
  text: string;
}

/**
 * The duplicate check (查重) of a form: `check(field, value)` when a field loses
 * focus asks the server which records the value would duplicate under the
 * company's rules; `hint(field)` is what to show under it (a warning, or an
 * error when the rule refuses). Matches can lie outside the user's data scope:
 * the server tells only the name and the owner.
 */
export function useDuplicateCheck(entity: DuplicateEntity, exceptId?: number) {
  const { t } = useTranslation();
  const [hints, setHints] = useState<Record<string, DuplicateHint | undefined>>({});
  const asked = useRef<Record<string, string>>({});

  const describe = useCallback(
    (m: DuplicateMatchDto) =>
      entity === 'contact'
        ? t('duplicates.contactMatch', { name: m.name, customer: m.customerName ?? '-', owner: m.ownerName ?? t('duplicates.noOwner') })
        : t('duplicates.customerMatch', { name: m.name, owner: m.ownerName ?? t('duplicates.noOwner') }),
    [entity, t],
  );

  const check = useCallback(
    async (field: string, raw: unknown) => {
      const value = typeof raw === 'string' ? raw.trim() : '';
      if (asked.current[field] === value) return;
      asked.current[field] = value;
      if (!value) {
        setHints((h) => ({ ...h, [field]: undefined }));
        return;
      }
      try {
        const r = await api.post<{ matches: DuplicateMatchDto[] }>('/duplicates/check', { entity, values: { [field]: value }, exceptId });
        if (asked.current[field] !== value) return; // typed on meanwhile
        const matches = r.matches.filter((m) => API_FIELD[m.field] === field);
        const refused = matches.filter((m) => m.mode === 'refuse');
        const shown = refused.length ? refused : matches;
        setHints((h) => ({
          ...h,
          [field]: shown.length
            ? {
                mode: refused.length ? 'refuse' : 'warn',
                text: t(refused.length ? 'duplicates.refused' : 'duplicates.warned', {
                  matches: shown.slice(0, 3).map(describe).join(t('common.listSeparator')),
                  count: shown.length,
                }),
              }
            : undefined,
        }));
      } catch {
        // the check is advice: saving checks again and says so
        asked.current[field] = '';
      }
    },
    [entity, exceptId, describe, t],
  );

  /** The warning or refusal under a field, or `fallback` (the field's usual help). */
  const hint = (field: string, fallback?: ReactNode): ReactNode => {
    const h = hints[field];
    if (!h) return fallback;
    return (
      <Typography.Text type={h.mode === 'refuse' ? 'danger' : 'warning'} data-testid="duplicate-hint" data-mode={h.mode}>
        {h.text}
      </Typography.Text>
    );
  };

  return { check, hint };
}
