import { Anchor, AppShell, Badge, Burger, Button, Group, NavLink, ScrollArea, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { NavLink as RouterLink, useLocation } from 'react-router';
import { inBackground } from '../api/background.ts';
import { useLiveConnected } from '../live/live-events.tsx';
import type { PageEntry } from '../pages/page-entry.ts';
import { usePrincipal, useSession } from '../session/session-context.tsx';

/**
 * The frame of every signed-in page: a header (menu button on a phone, the live-connection
 * badge, who is signed in, sign out) and the navigation built from the area's page list. A skip
 * link lets keyboard users jump straight to the content.
 */
export function ConsoleShell({ area, pages, children }: { area: 'admin' | 'portal'; pages: PageEntry[]; children: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure();
  const principal = usePrincipal();
  const { signOut } = useSession();
  const live = useLiveConnected();
  const location = useLocation();
  const base = `/${area}`;

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <Anchor href="#main" className="skip-link">Skip to content</Anchor>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={opened ? 'Close the menu' : 'Open the menu'} />
            <Title order={2} size="h4">Fleetyard{area === 'portal' ? ' portal' : ''}</Title>
            <Badge color={live ? 'green' : 'gray'} variant="light" aria-live="polite" data-testid="live-badge" style={{ flexShrink: 0, overflow: 'visible' }}>
              {live ? 'live' : 'connecting'}
            </Badge>
          </Group>
          <Group gap="sm" wrap="nowrap">
            {principal.role === 'admin' && (
              <Anchor component={RouterLink} to={area === 'admin' ? '/portal' : '/admin'} size="sm" visibleFrom="xs">
                {area === 'admin' ? 'Portal' : 'Admin console'}
              </Anchor>
            )}
            <Text size="sm" visibleFrom="xs" data-testid="signed-in-as">{principal.name}</Text>
            <Button size="xs" variant="default" onClick={() => inBackground(signOut(), 'signing out')}>Sign out</Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main">
        <ScrollArea>
          {pages.filter((p) => p.nav !== false).map((p) => {
            const to = p.path === '' ? base : `${base}/${p.path}`;
            const active = p.path === '' ? location.pathname === base : location.pathname.startsWith(to);
            // `end`: the area's home link is not the current page on every page under it.
            return <NavLink key={p.path} component={RouterLink} to={to} end={p.path === ''} label={p.label} active={active} onClick={close} />;
          })}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>{children}</AppShell.Main>
    </AppShell>
  );
}
