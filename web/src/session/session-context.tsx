import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, onSessionEnded, setCsrfToken, unwrap } from '../api/client.ts';
import type { paths } from '../api/schema';

export type Principal = Omit<paths['/api/v1/auth/me']['get']['responses']['200']['content']['application/json'], 'csrfToken'>;

type State =
  | { phase: 'loading' }
  | { phase: 'signed-out'; expired: boolean }
  | { phase: 'signed-in'; principal: Principal };

interface Session {
  state: State;
  signIn(name: string, password: string): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | undefined>(undefined);

/**
 * Who is signed in, from the session cookie (GET /auth/me, which also hands back the CSRF token
 * after a reload). Any 401 from the API ends the session here, so every page falls back to the
 * sign-in page with a note that the session expired.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>({ phase: 'loading' });
  const queryClient = useQueryClient();

  useEffect(() => {
    let live = true;
    onSessionEnded(() => {
      setCsrfToken(null);
      queryClient.clear();
      setState((s) => (s.phase === 'signed-in' ? { phase: 'signed-out', expired: true } : s.phase === 'loading' ? { phase: 'signed-out', expired: false } : s));
    });
    api.GET('/api/v1/auth/me').then(
      ({ data, response }) => {
        if (!live) return;
        if (response.ok && data) {
          const { csrfToken, ...principal } = data;
          setCsrfToken(csrfToken);
          setState({ phase: 'signed-in', principal });
        } else {
          setState({ phase: 'signed-out', expired: false });
        }
      },
      () => live && setState({ phase: 'signed-out', expired: false }),
    );
    return () => {
      live = false;
    };
  }, [queryClient]);

  const signIn = useCallback(async (name: string, password: string) => {
    const { principal, csrfToken } = unwrap(await api.POST('/api/v1/auth/login', { body: { name, password } }));
    setCsrfToken(csrfToken);
    queryClient.clear();
    setState({ phase: 'signed-in', principal });
  }, [queryClient]);

  const signOut = useCallback(async () => {
    // Signed out here whatever the server says: a failed logout leaves a cookie that expires.
    await api.POST('/api/v1/auth/logout').catch(() => undefined);
    setCsrfToken(null);
    queryClient.clear();
    setState({ phase: 'signed-out', expired: false });
  }, [queryClient]);

  const value = useMemo(() => ({ state, signIn, signOut }), [state, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** The signed-in principal; only for pages behind the sign-in guard. */
export function usePrincipal(): Principal {
  const { state } = useSession();
  if (state.phase !== 'signed-in') throw new Error('usePrincipal without a session');
  return state.principal;
}
