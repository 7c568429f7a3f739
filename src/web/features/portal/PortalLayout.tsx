import {
  AppShell,
  Avatar,
  Box,
  Burger,
  Button,
  Container,
  Group,
  Image,
  Menu,
  NavLink,
  ScrollArea,
  Stack,
  Text,
  ThemeIcon,
  UnstyledButton,
  VisuallyHidden,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconBell,
  IconBuildingStore,
  IconChevronDown,
  IconLogout,
  IconPackage,
  IconRoute,
  IconSettings,
  IconUserCircle,
  type Icon,
} from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Link, Navigate, Outlet, useLocation } from 'react-router';
import { paths } from '../../../shared/paths.ts';
import { CenteredCard } from '../../components/CenteredCard.tsx';
import { ErrorState, LoadingState } from '../../components/QueryState.tsx';
import { notifyError } from '../../lib/notify.ts';
import { sessionQuery } from '../../lib/queries.ts';
import { SessionProvider, type SignedIn } from '../../lib/session.tsx';
import type { Session, SessionCourier, SessionExtras } from '../../lib/types.ts';
import { useSignOut } from '../auth/api/sign-out.ts';
import { MAIN_CONTENT_ID, SkipLink } from '../../components/SkipLink.tsx';

interface NavItem {
  label: string;
  to: string;
  icon: Icon;
}

const NAV: NavItem[] = [
  { label: 'Orders', to: paths.portalOrders(), icon: IconPackage },
  { label: 'Notifications', to: paths.portalNotifications(), icon: IconBell },
  { label: 'Tracking page', to: paths.portalTracking(), icon: IconRoute },
  { label: 'Settings', to: paths.portalSettings(), icon: IconSettings },
];

const isActive = (item: NavItem, pathname: string) => pathname === item.to || pathname.startsWith(`${item.to}/`);

function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts[parts.length - 1][0] ?? '') : '')).toUpperCase() || '?';
}

/**
 * /portal — the client portal: for the people of a client organization. Signed-out visitors go
 * to the sign-in page and come back; courier staff go to their own dashboard.
 */
export function PortalLayout() {
  const session = useQuery(sessionQuery);
  const location = useLocation();
  const data = session.data as (Session & SessionExtras) | null | undefined;
  const value = useMemo<SignedIn | null>(() => (data?.user ? { user: data.user, organization: data.organization } : null), [data]);

  if (session.isPending) {
    return (
      <Box mih="100dvh" pt="30vh">
        <LoadingState label="Loading your portal…" />
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
  if (!data) {
    const here = location.pathname + location.search;
    return <Navigate to={`${paths.login()}?next=${encodeURIComponent(here)}`} replace />;
  }
  if (data.kind === 'user' && data.organization.kind === 'courier') return <Navigate to={paths.dashboard()} replace />;
  if (!value || data.kind !== 'user' || data.organization.kind !== 'client') return <NotClient organizationName={data.organization.name} />;

  return (
    <SessionProvider value={value}>
      <PortalShell signedIn={value} courier={data.courier ?? null} />
    </SessionProvider>
  );
}

function PortalShell({ signedIn, courier }: { signedIn: SignedIn; courier: SessionCourier | null }) {
  const [opened, { toggle, close }] = useDisclosure(false);
  const { pathname } = useLocation();
  const { user, organization } = signedIn;

  return (
    <AppShell
      header={{ height: 64 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding={{ base: 'md', sm: 'lg' }}
    >
      <SkipLink />
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? 'Close navigation' : 'Open navigation'}
              aria-expanded={opened}
              aria-controls="baton-portal-navigation"
            />
            <UnstyledButton component={Link} to={paths.portal()} onClick={close} style={{ minWidth: 0 }}>
              <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
                {organization.image ? (
                  <Image src={organization.image} alt="" h={36} w={36} fit="contain" radius="sm" />
                ) : (
                  <ThemeIcon size={36} radius="md" aria-hidden>
                    <IconBuildingStore size={22} stroke={1.8} />
                  </ThemeIcon>
                )}
                <Stack gap={0} style={{ minWidth: 0 }}>
                  <Text fw={700} fz="lg" lh={1.2} truncate="end" maw={{ base: 150, xs: 320, md: 480 }}>
                    {organization.name}
                  </Text>
                  {courier ? (
                    <Text size="xs" c="dimmed" lh={1.2} truncate="end" maw={{ base: 150, xs: 320, md: 480 }}>
                      served by {courier.name}
                    </Text>
                  ) : null}
                  <VisuallyHidden>: your orders</VisuallyHidden>
                </Stack>
              </Group>
            </UnstyledButton>
          </Group>
          <PortalUserMenu name={user.name} email={user.email} onNavigate={close} />
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" id="baton-portal-navigation" aria-label="Portal navigation">
        <AppShell.Section grow component={ScrollArea}>
          <Stack gap={4}>
            {NAV.map((item) => {
              const active = isActive(item, pathname);
              return (
                <NavLink
                  key={item.to}
                  component={Link}
                  to={item.to}
                  label={item.label}
                  leftSection={<item.icon size={20} stroke={1.7} aria-hidden />}
                  active={active}
                  aria-current={active ? 'page' : undefined}
                  variant="light"
                  onClick={close}
                  style={{ borderRadius: 'var(--mantine-radius-md)' }}
                  fw={500}
                />
              );
            })}
          </Stack>
        </AppShell.Section>
        <AppShell.Section>
          {courier ? (
            <Group gap="sm" wrap="nowrap" px="sm" pt="sm">
              <Avatar src={courier.image} alt="" radius="md" size={32} color="indigo">
                {initials(courier.name)}
              </Avatar>
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Text size="xs" c="dimmed">
                  Your courier
                </Text>
                <Text size="sm" fw={600} truncate="end">
                  {courier.name}
                </Text>
              </Stack>
            </Group>
          ) : null}
          <Text size="xs" c="dimmed" px="sm" pt="sm">
            Baton · times in {organization.timezone}
          </Text>
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main bg="gray.0" id={MAIN_CONTENT_ID} tabIndex={-1} style={{ outline: 'none' }}>
        <Container size="xl" px={0}>
          <Outlet />
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}

function PortalUserMenu({ name, email, onNavigate }: { name: string; email: string; onNavigate: () => void }) {
  const signOut = useSignOut();
  return (
    <Menu position="bottom-end" width={240} shadow="md">
      <Menu.Target>
        <UnstyledButton px="xs" py={6} style={{ borderRadius: 'var(--mantine-radius-md)' }}>
          <Group gap="xs" wrap="nowrap">
            {/* its name is what it shows, after this (WCAG 2.5.3, label in name) */}
            <VisuallyHidden>Account menu:</VisuallyHidden>
            <Avatar radius="xl" size={32} color="indigo" aria-hidden>
              {initials(name)}
            </Avatar>
            <Stack gap={0} visibleFrom="sm">
              <Text size="sm" fw={600} lh={1.2}>
                {name}
              </Text>
              <Text size="xs" c="dimmed" lh={1.2}>
                {email}
              </Text>
            </Stack>
            <IconChevronDown size={16} aria-hidden />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="sm" fw={600} c="var(--mantine-color-text)">
            {name}
          </Text>
          <Text size="xs" c="dimmed" truncate="end">
            {email}
          </Text>
        </Menu.Label>
        <Menu.Divider />
        <Menu.Item component={Link} to={paths.portalSettings('account')} leftSection={<IconUserCircle size={16} aria-hidden />} onClick={onNavigate}>
          Your account
        </Menu.Item>
        <Menu.Item
          leftSection={<IconLogout size={16} aria-hidden />}
          onClick={() => signOut.mutate(undefined, { onError: (e) => notifyError(e, 'Could not sign out') })}
        >
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

function NotClient({ organizationName }: { organizationName: string }) {
  const signOut = useSignOut();
  return (
    <CenteredCard title="This portal is for client businesses" description={`You are signed in for ${organizationName}.`}>
      <Stack gap="md">
        <Text size="sm">The client portal is only available to the people of a courier’s client organizations.</Text>
        <Button loading={signOut.isPending} onClick={() => signOut.mutate(undefined, { onError: (e) => notifyError(e, 'Could not sign out') })}>
          Sign out
        </Button>
      </Stack>
    </CenteredCard>
  );
}
