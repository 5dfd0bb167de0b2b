import { ActionIcon, Card, Code, CopyButton, Group, SimpleGrid, Stack, Text, Tooltip } from '@mantine/core';
import type { Appliance } from '../../api/types.ts';
import { StateBadge } from './whole-badge.tsx';

/**
 * How a cloud user reaches an appliance. The login is made inside it by the request (src/cloud/
 * login.ts): the user's own name, made POSIX-safe, with their SSH key when they had one, else a
 * generated password that only the "active" mail carried (the appliance keeps it sealed, and the
 * API never shows it). So the portal shows the user and the command, and says which secret to use.
 */
export function sshCommand(a: Appliance): string | null {
  const user = a.spec.login?.user;
  const address = a.status.address;
  return user && address ? `ssh ${user}@${address}` : null;
}

export function loginMethod(a: Appliance): string {
  if (!a.spec.login) return 'no login was made in it';
  return a.spec.login.sshPublicKey ? 'with your SSH key' : 'with the password mailed to you when it became active';
}

const CopyIcon = () => (
  <svg width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
    <rect x="9" y="9" width="11" height="11" rx="2" />
    <path d="M5 15V5a2 2 0 0 1 2-2h10" />
  </svg>
);
const CheckIcon = () => (
  <svg width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
    <path d="M5 12l5 5L20 7" />
  </svg>
);

/** The command as code, with a button that copies it. */
export function SshCommand({ appliance }: { appliance: Appliance }) {
  const cmd = sshCommand(appliance);
  if (!cmd) return <Text span c="dimmed" size="sm">not reachable yet</Text>;
  return (
    <Group gap={4} wrap="nowrap">
      <Code data-testid="ssh-command">{cmd}</Code>
      <CopyButton value={cmd}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? 'Copied' : 'Copy the command'} withArrow>
            <ActionIcon variant="subtle" size="sm" onClick={copy} aria-label={`Copy the command to reach ${appliance.name}`}>
              {copied ? <CheckIcon /> : <CopyIcon />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}

/** One appliance's state and login details, as a card. */
export function ApplianceAccess({ appliance: a }: { appliance: Appliance }) {
  return (
    <Card withBorder data-testid="appliance-access" data-appliance={a.name}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap">
          <Text fw={600}>{a.name}</Text>
          <StateBadge phase={a.status.phase} />
        </Group>
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing={4} verticalSpacing={4}>
          <Text size="sm"><b>Address:</b> <span data-testid="address">{a.status.address ?? '—'}</span></Text>
          <Text size="sm"><b>User:</b> <span data-testid="login-user">{a.spec.login?.user ?? '—'}</span></Text>
        </SimpleGrid>
        <SshCommand appliance={a} />
        <Text size="xs" c="dimmed">Log in {loginMethod(a)}.</Text>
        {a.status.message && a.status.phase !== 'running' && <Text size="xs" c="dimmed">{a.status.message}</Text>}
      </Stack>
    </Card>
  );
}
