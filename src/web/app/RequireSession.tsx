import { Box, Button, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Navigate, useLocation } from 'react-router';
import { paths } from '../../shared/paths.ts';
import { CenteredCard } from '../components/CenteredCard.tsx';
import { ErrorState, LoadingState } from '../components/QueryState.tsx';
import { useSignOut } from '../features/auth/api/sign-out.ts';
import { sessionQuery } from '../lib/queries.ts';
import { SessionProvider, type SignedIn } from '../lib/session.tsx';
import { notifyError } from '../lib/notify.ts';
import { AppLayout } from './AppLayout.tsx';

/** The signed-in part of the app: courier staff only; client users go to their portal, everyone else to the sign-in page. */
export function RequireSession() {
  const session = useQuery(sessionQuery);
  const location = useLocation();
  const value = useMemo<SignedIn | null>(
    () => (session.data?.user ? { user: session.data.user, organization: session.data.organization } : null),
    [session.data],
  );

  if (session.isPending) {
    return (
      <Box mih="100dvh" pt="30vh">
        <LoadingState label="Loading Baton…" />
      </Box>
    );
  }
  if (session.isError) {
    return (
      <CenteredCard title="Baton is unavailable">
        <ErrorState error={session.error} title="Could not reach the server" onRetry={() => void session.refetch()} />
      </CenteredCard>
    );
  }
  if (!session.data) {
    const here = location.pathname + location.search;
    const to = here === paths.dashboard() ? paths.login() : `${paths.login()}?next=${encodeURIComponent(here)}`;
    return <Navigate to={to} replace />;
  }
  // A client's people have their own portal; the shared sign-in page sends everyone here first.
  if (session.data.kind === 'user' && session.data.organization.kind === 'client') {
    return <Navigate to={paths.portal()} replace />;
  }
  if (!value || session.data.kind !== 'user' || session.data.organization.kind !== 'courier') {
    return <NotCourierStaff organizationName={session.data.organization.name} />;
  }
  return (
    <SessionProvider value={value}>
      <AppLayout />
    </SessionProvider>
  );
}

function NotCourierStaff({ organizationName }: { organizationName: string }) {
  const signOut = useSignOut();
  return (
    <CenteredCard title="This dashboard is for courier staff" description={`You are signed in for ${organizationName}.`}>
      <Stack gap="md">
        <Text size="sm">The dispatch dashboard is only available to people of the courier organization.</Text>
        <Button loading={signOut.isPending} onClick={() => signOut.mutate(undefined, { onError: (e) => notifyError(e, 'Could not sign out') })}>
          Sign out
        </Button>
      </Stack>
    </CenteredCard>
  );
}
