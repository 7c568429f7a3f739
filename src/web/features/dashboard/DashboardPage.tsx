import { Anchor, Center, Group, Loader, Paper, SimpleGrid, Skeleton, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconCircleCheckFilled, IconCircleDashed, IconSteeringWheel, IconUsersGroup, IconUserCheck, type Icon } from '@tabler/icons-react';
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { paths } from '../../../shared/paths.ts';
import { ErrorState } from '../../components/QueryState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { apiKeysQuery, teamsQuery, workersQuery } from '../../lib/queries.ts';
import { usePermissions, useSession } from '../../lib/session.tsx';

export function DashboardPage() {
  const { user, organization } = useSession();
  const { isAdmin } = usePermissions();
  const teams = useQuery(teamsQuery);
  const workers = useQuery(workersQuery);
  const apiKeys = useQuery({ ...apiKeysQuery, enabled: isAdmin });
  const onDuty = workers.data?.filter((w) => w.onDuty).length;
  const firstName = user.name.split(/\s+/)[0];

  return (
    <>
      <PageHeader title="Dashboard" description={`Welcome, ${firstName}. Here is ${organization.name} at a glance.`} />
      <Stack gap="xl">
        <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="md">
          <Stat label="Teams" icon={IconUsersGroup} query={teams} to={paths.teams()} value={(d) => String(d.length)} />
          <Stat label="Drivers" icon={IconSteeringWheel} query={workers} to={paths.drivers()} value={(d) => String(d.length)} />
          <Stat
            label="On duty now"
            icon={IconUserCheck}
            query={workers}
            to={paths.drivers()}
            value={(d) => `${onDuty ?? 0} of ${d.length}`}
          />
        </SimpleGrid>

        <Paper p="lg" radius="md">
          <Stack gap="md">
            <Stack gap={4}>
              <Title order={2} fz="lg">
                Getting started
              </Title>
              <Text c="dimmed" size="sm">
                A few steps to get {organization.name} dispatching.
              </Text>
            </Stack>
            <Stack gap="sm" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
              <Step done={hasAny(teams)} to={paths.teams()} title="Create a team">
                Teams group your drivers, for example by area or shift.
              </Step>
              <Step done={hasAny(workers)} to={paths.drivers()} title="Add a driver">
                Add drivers with their mobile number and put them in a team.
              </Step>
              {isAdmin ? (
                <Step done={hasAny(apiKeys)} to={paths.settings('api-keys')} title="Create an API key">
                  Connect your shop or order system through the Onfleet-compatible API.
                </Step>
              ) : null}
              <Step done={false} to={paths.clients()} title="Invite a client">
                Clients book deliveries and follow them in their own portal.
              </Step>
            </Stack>
          </Stack>
        </Paper>
      </Stack>
    </>
  );
}

/** Whether a list has something; undefined while unknown. */
function hasAny(query: UseQueryResult<unknown[]>): boolean | undefined {
  if (query.isError) return false;
  return query.data ? query.data.length > 0 : undefined;
}

function Stat<T>({
  label,
  icon: StatIcon,
  query,
  value,
  to,
}: {
  label: string;
  icon: Icon;
  query: UseQueryResult<T>;
  value: (data: T) => string;
  to: string;
}) {
  return (
    <Paper p="lg" radius="md">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={6}>
          <Anchor component={Link} to={to} size="sm" fw={600} c="dimmed" underline="hover">
            {label}
          </Anchor>
          {query.isPending ? (
            <Skeleton h={34} w={80} aria-label={`Loading ${label.toLowerCase()}`} />
          ) : query.isError ? (
            <ErrorState error={query.error} title={`Could not count ${label.toLowerCase()}`} onRetry={() => void query.refetch()} />
          ) : (
            <Text fz={30} fw={700} lh={1.1}>
              {value(query.data as T)}
            </Text>
          )}
        </Stack>
        <ThemeIcon size={44} radius="md" variant="light" aria-hidden>
          <StatIcon size={24} stroke={1.7} />
        </ThemeIcon>
      </Group>
    </Paper>
  );
}

function Step({ done, to, title, children }: { done: boolean | undefined; to: string; title: string; children: ReactNode }) {
  return (
    <Group component="li" gap="md" wrap="nowrap" align="flex-start">
      <Center w={24} h={24} style={{ flexShrink: 0 }}>
        {done === undefined ? (
          <Loader size={20} aria-label="Checking" />
        ) : done ? (
          <IconCircleCheckFilled size={24} color="var(--mantine-color-green-8)" aria-label="Done" role="img" />
        ) : (
          <IconCircleDashed size={24} color="var(--mantine-color-gray-6)" aria-label="To do" role="img" />
        )}
      </Center>
      <Stack gap={2}>
        <Anchor component={Link} to={to} fw={600} td={done ? 'line-through' : undefined}>
          {title}
        </Anchor>
        <Text size="sm" c="dimmed">
          {children}
        </Text>
      </Stack>
    </Group>
  );
}
