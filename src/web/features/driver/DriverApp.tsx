import {
  ActionIcon,
  Alert,
  AppShell,
  Box,
  Button,
  Container,
  Group,
  Loader,
  Menu,
  Paper,
  Stack,
  Switch,
  Text,
  ThemeIcon,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconCheck,
  IconLogout,
  IconMapPin,
  IconMapPinOff,
  IconTruckDelivery,
  IconUserCircle,
} from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { Link, Outlet } from 'react-router';
import { paths } from '../../../shared/paths.ts';
import { CenteredCard } from '../../components/CenteredCard.tsx';
import { ErrorState, LoadingState } from '../../components/QueryState.tsx';
import { errorMessage, isApiError } from '../../lib/api.ts';
import { notifyError } from '../../lib/notify.ts';
import { queryKeys } from '../../lib/query-keys.ts';
import { driverMeQuery, driverTasksQuery, useDriverSignOut, useSetDuty } from './api/driver.ts';
import { DriverContext, useDriver } from './driver-context.tsx';
import { useDriverEvents } from './use-driver-events.ts';
import { useLocationSharing, type LocationSharing } from './use-location-sharing.ts';
import { SUCCESS_COLOR } from './colors.ts';
import { MAIN_CONTENT_ID, SkipLink } from '../../components/SkipLink.tsx';

/** /driver — the driver app: who is signed in, the duty switch, location sharing, and the pages. */
export function DriverApp() {
  const queryClient = useQueryClient();
  const me = useQuery(driverMeQuery);
  const signedOut = isApiError(me.error, 401);
  const notDriver = isApiError(me.error, 403);
  const signedIn = !!me.data && !signedOut && !notDriver;
  const location = useLocationSharing(signedIn && !!me.data?.worker.onDuty);
  useDriverEvents(signedIn);

  // A 401 on the task list means the session ended: read the driver again to show the sign-in message.
  const tasks = useQuery({ ...driverTasksQuery, enabled: signedIn });
  const tasksSignedOut = isApiError(tasks.error, 401);
  useEffect(() => {
    if (tasksSignedOut) void queryClient.invalidateQueries({ queryKey: queryKeys.driverMe });
  }, [tasksSignedOut, queryClient]);

  const value = useMemo(() => (me.data ? { ...me.data, location } : null), [me.data, location]);

  if (me.isPending) {
    return (
      <Box component="main" mih="100dvh" pt="30vh">
        <LoadingState label="Loading your tasks…" />
      </Box>
    );
  }
  if (signedOut) return <SignedOut />;
  if (notDriver) return <NotADriver />;
  if (!value) {
    return (
      <CenteredCard title="The driver app is unavailable">
        <ErrorState error={me.error} title="Could not reach the server" onRetry={() => void me.refetch()} />
      </CenteredCard>
    );
  }
  return (
    <DriverContext.Provider value={value}>
      <DriverShell />
    </DriverContext.Provider>
  );
}

function DriverShell() {
  const { organization, worker } = useDriver();
  // One mutation for the switch and for the message that explains a refusal.
  const duty = useSetDuty();
  return (
    <AppShell header={{ height: 64 }} padding={0}>
      <SkipLink />
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="sm">
          <Group gap="sm" wrap="nowrap" style={{ minWidth: 0, flex: 1 }}>
            <ThemeIcon size={36} radius="md" aria-hidden visibleFrom="xs">
              <IconTruckDelivery size={22} stroke={1.8} />
            </ThemeIcon>
            <Box miw={0}>
              <Text fw={700} truncate="end" lh={1.3}>
                {organization.name}
              </Text>
              <Text size="sm" c="dimmed" truncate="end" lh={1.3}>
                {worker.name}
              </Text>
            </Box>
          </Group>
          <DutySwitch duty={duty} />
          <AccountMenu />
        </Group>
      </AppShell.Header>
      <AppShell.Main bg="gray.0" id={MAIN_CONTENT_ID} tabIndex={-1} style={{ outline: 'none' }}>
        <Container size="sm" px="md" py="md">
          <Stack gap="md">
            <DutyStatus duty={duty} />
            <Outlet />
          </Stack>
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}

type DutyMutation = ReturnType<typeof useSetDuty>;

function DutySwitch({ duty }: { duty: DutyMutation }) {
  const { worker } = useDriver();
  // What the driver asked for, shown at once (the switch must not flip back while the server answers).
  const [wanted, setWanted] = useState<boolean | null>(null);
  const checked = wanted ?? worker.onDuty;
  return (
    <Switch
      size="lg"
      color="green"
      label="On duty"
      labelPosition="left"
      checked={checked}
      disabled={wanted !== null || duty.isPending}
      onChange={(event) => {
        const onDuty = event.currentTarget.checked;
        setWanted(onDuty);
        duty.mutate(onDuty, { onSettled: () => setWanted(null) });
      }}
      thumbIcon={checked ? <IconCheck size={14} color="var(--mantine-color-green-8)" stroke={3} aria-hidden /> : undefined}
      styles={{ body: { alignItems: 'center', minHeight: 44 }, label: { fontWeight: 600, fontSize: 'var(--mantine-font-size-md)' } }}
    />
  );
}

function AccountMenu() {
  const { worker, organization } = useDriver();
  const setDuty = useSetDuty();
  const signOut = useDriverSignOut();
  const onSignOut = async () => {
    try {
      // Signing out also ends the shift, so that dispatch does not count on this driver.
      if (worker.onDuty) await setDuty.mutateAsync(false);
      await signOut.mutateAsync();
    } catch (error) {
      notifyError(error, 'Could not sign out');
    }
  };
  return (
    <Menu position="bottom-end" width={260} shadow="md">
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" size={44} aria-label="Account" loading={signOut.isPending}>
          <IconUserCircle size={28} stroke={1.6} aria-hidden />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="sm" fw={600} c="var(--mantine-color-text)">
            {worker.name}
          </Text>
          <Text size="xs" c="dimmed">
            {worker.phone}
          </Text>
          <Text size="xs" c="dimmed">
            Driver for {organization.name}
          </Text>
        </Menu.Label>
        <Menu.Divider />
        <Menu.Item leftSection={<IconLogout size={18} aria-hidden />} onClick={() => void onSignOut()} py="sm">
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

/** On or off duty, in words, whether the location is being shared, and why going on or off duty failed. */
function DutyStatus({ duty }: { duty: DutyMutation }) {
  const { worker, location } = useDriver();
  const [hideBlocked, setHideBlocked] = useState(false);
  const dutyError = duty.isError ? (
    <Alert
      color="red"
      variant="light"
      icon={<IconAlertTriangle aria-hidden />}
      title={duty.variables ? 'Could not go on duty' : 'Could not go off duty'}
      role="alert"
      withCloseButton
      closeButtonLabel="Dismiss"
      onClose={duty.reset}
    >
      {errorMessage(duty.error)}
    </Alert>
  ) : null;

  if (!worker.onDuty) {
    return (
      <Stack gap="xs">
        <Paper p="sm" radius="md" style={{ borderLeft: '4px solid var(--mantine-color-gray-6)' }}>
          <Text fw={600}>You are off duty</Text>
          <Text size="sm" c="dimmed">
            Turn on “On duty” to start your tasks. Your location is not shared while you are off duty.
          </Text>
        </Paper>
        {dutyError}
      </Stack>
    );
  }
  return (
    <Stack gap="xs">
      <Paper p="sm" radius="md" style={{ borderLeft: '4px solid var(--mantine-color-green-7)' }}>
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Text fw={600}>You are on duty</Text>
          <LocationIndicator sharing={location} />
        </Group>
      </Paper>
      {dutyError}
      {location.status === 'denied' && !hideBlocked ? (
        <Alert
          color="orange"
          variant="light"
          icon={<IconMapPinOff aria-hidden />}
          title="Location is blocked"
          role="alert"
          withCloseButton
          closeButtonLabel="Dismiss"
          onClose={() => setHideBlocked(true)}
          styles={{ title: { color: 'var(--mantine-color-text)' } }}
        >
          <Stack gap="xs" align="flex-start">
            <Text size="sm">
              You can still work your tasks, but your dispatcher cannot see where you are. Allow location for this site in
              your browser’s settings, then try again.
            </Text>
            <Button size="sm" variant="white" color="dark" onClick={location.retry}>
              Try again
            </Button>
          </Stack>
        </Alert>
      ) : null}
    </Stack>
  );
}

function LocationIndicator({ sharing }: { sharing: LocationSharing }) {
  const content = (() => {
    switch (sharing.status) {
      case 'sharing':
        return { icon: <IconMapPin size={16} color={SUCCESS_COLOR} aria-hidden />, text: 'Sharing location' };
      case 'locating':
        return { icon: <Loader size={14} aria-hidden />, text: 'Finding your location…' };
      case 'unavailable':
        return { icon: <IconMapPinOff size={16} aria-hidden />, text: 'Location not found yet' };
      case 'failing':
        return { icon: <IconAlertTriangle size={16} color="var(--mantine-color-orange-9)" aria-hidden />, text: 'Location not sent, retrying' };
      case 'denied':
        return { icon: <IconMapPinOff size={16} color="var(--mantine-color-orange-9)" aria-hidden />, text: 'Location blocked' };
      case 'unsupported':
        return { icon: <IconMapPinOff size={16} aria-hidden />, text: 'Location not available on this browser' };
      default:
        return null;
    }
  })();
  if (!content) return null;
  return (
    <Group gap={6} wrap="nowrap" role="status" aria-live="polite">
      {content.icon}
      <Text size="sm" c={sharing.status === 'sharing' ? SUCCESS_COLOR : 'dimmed'} fw={500}>
        {content.text}
      </Text>
    </Group>
  );
}

function SignedOut() {
  return (
    <CenteredCard title="Sign in to the driver app" description="Open the sign-in link your dispatcher sent you.">
      <Stack gap="sm">
        <Text size="sm">
          Your dispatcher sends the link by text message or email. Each link works once and only for 30 minutes; if yours
          has expired, ask your dispatcher for a new one.
        </Text>
      </Stack>
    </CenteredCard>
  );
}

function NotADriver() {
  return (
    <CenteredCard title="This app is for drivers" description="You are signed in to the dispatch dashboard, not as a driver.">
      <Stack gap="md">
        <Text size="sm">Drivers sign in with the link their dispatcher sends them. To use the dashboard, go back to it.</Text>
        <Button component={Link} to={paths.dashboard()}>
          Go to the dashboard
        </Button>
      </Stack>
    </CenteredCard>
  );
}
