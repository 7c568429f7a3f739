import { AppShell, Avatar, Burger, Container, Group, Image, Menu, NavLink, ScrollArea, Stack, Text, ThemeIcon, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconBuildingStore,
  IconChevronDown,
  IconLayoutDashboard,
  IconLogout,
  IconMail,
  IconRoute,
  IconSettings,
  IconSteeringWheel,
  IconTruckDelivery,
  IconUsersGroup,
  type Icon,
} from '@tabler/icons-react';
import { Link, Outlet, useLocation } from 'react-router';
import { paths } from '../../shared/paths.ts';
import { useSignOut } from '../features/auth/api/sign-out.ts';
import { notifyError } from '../lib/notify.ts';
import { roleLabel, usePermissions, useSession } from '../lib/session.tsx';
import { MAIN_CONTENT_ID, SkipLink } from '../components/SkipLink.tsx';

interface NavItem {
  label: string;
  to: string;
  icon: Icon;
  /** only the exact path is active (the dashboard at "/") */
  exact?: boolean;
  /** shown to owners and administrators only */
  adminOnly?: boolean;
}

const NAV: NavItem[] = [
  { label: 'Dashboard', to: paths.dashboard(), icon: IconLayoutDashboard, exact: true },
  { label: 'Dispatch', to: paths.dispatch(), icon: IconRoute },
  { label: 'Clients', to: paths.clients(), icon: IconBuildingStore },
  { label: 'Teams', to: paths.teams(), icon: IconUsersGroup },
  { label: 'Drivers', to: paths.drivers(), icon: IconSteeringWheel },
  { label: 'Settings', to: paths.settings(), icon: IconSettings },
  { label: 'Outbox', to: paths.outbox(), icon: IconMail, adminOnly: true },
];

function isActive(item: NavItem, pathname: string): boolean {
  if (item.exact) return pathname === item.to;
  return pathname === item.to || pathname.startsWith(`${item.to}/`);
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts[parts.length - 1][0] ?? '') : '')).toUpperCase() || '?';
}

export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure(false);
  const { pathname } = useLocation();
  const { user, organization } = useSession();
  const { isAdmin } = usePermissions();
  const nav = NAV.filter((item) => isAdmin || !item.adminOnly);

  return (
    <AppShell
      header={{ height: 60 }}
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
              aria-controls="baton-navigation"
            />
            <UnstyledButton component={Link} to={paths.dashboard()} aria-label={`${organization.name} — dashboard`} onClick={close}>
              <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
                {organization.image ? (
                  <Image src={organization.image} alt="" h={36} w={36} fit="contain" radius="sm" />
                ) : (
                  <ThemeIcon size={36} radius="md" aria-hidden>
                    <IconTruckDelivery size={22} stroke={1.8} />
                  </ThemeIcon>
                )}
                <Text fw={700} fz="lg" truncate="end" maw={{ base: 160, xs: 320, md: 480 }}>
                  {organization.name}
                </Text>
              </Group>
            </UnstyledButton>
          </Group>
          <UserMenu name={user.name} email={user.email} role={roleLabel[user.role]} readOnly={user.isReadOnly} />
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" id="baton-navigation" aria-label="Main navigation">
        <AppShell.Section grow component={ScrollArea}>
          <Stack gap={4}>
            {nav.map((item) => (
              <NavLink
                key={item.to}
                component={Link}
                to={item.to}
                label={item.label}
                leftSection={<item.icon size={20} stroke={1.7} aria-hidden />}
                active={isActive(item, pathname)}
                aria-current={isActive(item, pathname) ? 'page' : undefined}
                variant="light"
                onClick={close}
                style={{ borderRadius: 'var(--mantine-radius-md)' }}
                fw={500}
              />
            ))}
          </Stack>
        </AppShell.Section>
        <AppShell.Section>
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

function UserMenu({ name, email, role, readOnly }: { name: string; email: string; role: string; readOnly: boolean }) {
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
                {role}
                {readOnly ? ' · read-only' : ''}
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
          <Text size="xs" c="dimmed">
            {role}
            {readOnly ? ' · read-only' : ''}
          </Text>
        </Menu.Label>
        <Menu.Divider />
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
