import { Stack, Title } from '@mantine/core';
import { PasswordCard } from './password-card.tsx';
import { SshKeyCard } from './ssh-key-card.tsx';
import { TokensCard } from './tokens-card.tsx';

/** My profile: the SSH key my appliances get, my password, my API tokens. */
export default function ProfilePage() {
  return (
    <Stack>
      <Title order={1} size="h2">Profile</Title>
      <SshKeyCard />
      <PasswordCard />
      <TokensCard />
    </Stack>
  );
}
