import { Center, Loader } from '@mantine/core';
import { Suspense } from 'react';
import { Navigate, Outlet, useLocation, type RouteObject } from 'react-router';
import { LiveEventsProvider } from './live/live-events.tsx';
import { adminPages } from './pages/admin/admin-pages.ts';
import type { PageEntry } from './pages/page-entry.ts';
import { portalPages } from './pages/portal/portal-pages.ts';
import { useSession } from './session/session-context.tsx';
import { SignInPage } from './session/sign-in-page.tsx';
import { ConsoleShell } from './shell/console-shell.tsx';

function Loading() {
  return (
    <Center h="60vh" aria-busy="true">
      <Loader aria-label="Loading" />
    </Center>
  );
}

/** Pages behind the sign-in; `role` keeps cloud users out of the admin console. */
function SignedIn({ area }: { area: 'admin' | 'portal' }) {
  const { state } = useSession();
  const location = useLocation();
  if (state.phase === 'loading') return <Loading />;
  if (state.phase === 'signed-out') {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/sign-in?next=${next}${state.expired ? '&expired=1' : ''}`} replace />;
  }
  if (area === 'admin' && state.principal.role !== 'admin') return <Navigate to="/portal" replace />;
  return (
    <LiveEventsProvider>
      <ConsoleShell area={area} pages={area === 'admin' ? adminPages : portalPages}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </ConsoleShell>
    </LiveEventsProvider>
  );
}

function Home() {
  const { state } = useSession();
  if (state.phase === 'loading') return <Loading />;
  if (state.phase === 'signed-out') return <Navigate to="/sign-in" replace />;
  return <Navigate to={state.principal.role === 'admin' ? '/admin' : '/portal'} replace />;
}

const children = (pages: PageEntry[]): RouteObject[] =>
  pages.map((p) => (p.path === '' ? { index: true, Component: p.component } : { path: p.path, Component: p.component }));

export const routes: RouteObject[] = [
  { path: '/', Component: Home },
  { path: '/sign-in', Component: SignInPage },
  { path: '/admin', element: <SignedIn area="admin" />, children: children(adminPages) },
  { path: '/portal', element: <SignedIn area="portal" />, children: children(portalPages) },
  { path: '*', element: <Navigate to="/" replace /> },
];
