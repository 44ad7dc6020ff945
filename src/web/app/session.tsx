import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo } from 'react';
import type { Permission } from '../../common/permissions';
import { api, ApiError, configureApi } from '../api/client';
import type { MeResponse } from '../api/types';
import { setDisplayTimeZone } from '../components/format';
import i18n, { currentLocale, isLocale, type Locale, setLocale } from '../i18n';

/** What a route or a button needs: a permission code, or just a signed-in user. */
export type Access = Permission | 'authenticated';

export const ME_KEY = ['me'] as const;

interface Session {
  me: MeResponse | null;
  /** Whether the signed-in user holds the permission; a super administrator ('*') holds them all. */
  can(access: Access): boolean;
  /** Stores the "me" answer of a successful sign-in. */
  signedIn(me: MeResponse): void;
  signOut(): Promise<void>;
  /** Switches the language here and, when signed in, in the user's saved preferences. */
  changeLocale(locale: Locale): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

configureApi({ locale: currentLocale, networkMessage: () => i18n.t('errors.network') });

/** The signed-in user, or null: a 401 here only means "not signed in yet". */
async function fetchMe(): Promise<MeResponse | null> {
  try {
    return await api.get<MeResponse>('/auth/me', undefined, { sendLocale: false, handleUnauthorized: false });
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

interface ProviderProps {
  children: ReactNode;
  /** Shown while the sign-in check runs. */
  loading: ReactNode;
  /** Shown when the sign-in check fails (server down). */
  failure: (error: Error, retry: () => void) => ReactNode;
}

export function SessionProvider({ children, loading, failure }: ProviderProps) {
  const queryClient = useQueryClient();
  const { data: me, isPending, error, refetch } = useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: Infinity, retry: false });

  const forget = useCallback(() => {
    configureApi({ csrfToken: null });
    // nothing of the previous user may stay in the cache
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
    queryClient.setQueryData(ME_KEY, null);
  }, [queryClient]);

  useEffect(() => configureApi({ onUnauthorized: forget }), [forget]);

  useEffect(() => {
    if (!me) return;
    configureApi({ csrfToken: me.csrfToken });
    if (isLocale(me.user.locale)) void setLocale(me.user.locale);
  }, [me]);

  const session = useMemo<Session>(() => {
    // set while rendering, before the pages below format a time
    setDisplayTimeZone(me?.user.timeZone);
    const permissions = new Set(me?.permissions ?? []);
    return {
      me: me ?? null,
      can: (access) => !!me && (access === 'authenticated' || permissions.has('*') || permissions.has(access)),
      signedIn: (next) => {
        configureApi({ csrfToken: next.csrfToken });
        queryClient.setQueryData(ME_KEY, next);
      },
      signOut: async () => {
        try {
          await api.post('/auth/logout');
        } finally {
          forget();
        }
      },
      changeLocale: async (locale) => {
        await setLocale(locale);
        if (!me) return;
        await api.put('/auth/preferences', { locale });
        queryClient.setQueryData<MeResponse | null>(ME_KEY, (old) => (old ? { ...old, user: { ...old.user, locale } } : old));
      },
    };
  }, [me, queryClient, forget]);

  if (isPending) return <>{loading}</>;
  if (error) return <>{failure(error, () => void refetch())}</>;
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in user; only for pages behind the sign-in guard. */
export function useMe(): MeResponse {
  const { me } = useSession();
  if (!me) throw new Error('useMe without a signed-in user');
  return me;
}
