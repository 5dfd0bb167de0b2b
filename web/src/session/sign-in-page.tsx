import { Alert, Button, Center, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { inBackground } from '../api/background.ts';
import { errorText } from '../api/client.ts';
import { useSession } from './session-context.tsx';

/** Username and password against the cookie session; back to where the user was going. */
export function SignInPage() {
  const { state, signIn } = useSession();
  const [params] = useSearchParams();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const next = params.get('next');
  const target = next && next.startsWith('/') && !next.startsWith('//') ? next : '/';

  if (state.phase === 'signed-in') return <Navigate to={target} replace />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(name.trim(), password);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={380}>
        <form onSubmit={(e) => inBackground(submit(e), 'signing in')} aria-labelledby="sign-in-title">
          <Stack>
            <Title order={1} size="h2" id="sign-in-title">Sign in to Fleetyard</Title>
            {params.get('expired') && <Alert color="yellow" title="Session ended">Your session expired. Sign in again to go on.</Alert>}
            {error && <Alert color="red" role="alert" title="Could not sign in">{error}</Alert>}
            <TextInput label="Username" name="username" autoComplete="username" required value={name} onChange={(e) => setName(e.currentTarget.value)} autoFocus />
            <PasswordInput label="Password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
            <Button type="submit" loading={busy} fullWidth>Sign in</Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
