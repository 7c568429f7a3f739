import { ActionIcon, Alert, Box, Card, Group, Stack, Text, Title } from '@mantine/core';
import { IconChevronRight, IconClipboardList, IconClock, IconLink, IconRefresh, IconUser } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { paths } from '../../../shared/paths.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorState, LoadingState } from '../../components/QueryState.tsx';
import { errorMessage } from '../../lib/api.ts';
import type { Task } from '../../lib/types.ts';
import { driverTasksQuery } from './api/driver.ts';
import { useDriver } from './driver-context.tsx';
import { SUCCESS_COLOR } from './colors.ts';
import { TaskBadges } from './TaskBadges.tsx';
import { placeLine, streetLine, timeWindow } from './task-format.ts';

/** /driver — the driver's tasks in the order to do them; the one in progress first. */
export function DriverTasksPage() {
  const { worker } = useDriver();
  const tasks = useQuery(driverTasksQuery);

  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="nowrap" gap="sm">
        <Box>
          <Title order={1} fz={24}>
            My tasks
          </Title>
          {tasks.data ? (
            <Text size="sm" c="dimmed" aria-live="polite">
              {tasks.data.length === 1 ? '1 task' : `${tasks.data.length} tasks`} · updates automatically
            </Text>
          ) : null}
        </Box>
        <ActionIcon
          variant="default"
          size={44}
          aria-label="Refresh the task list"
          loading={tasks.isFetching}
          onClick={() => void tasks.refetch()}
        >
          <IconRefresh size={20} aria-hidden />
        </ActionIcon>
      </Group>

      {tasks.isPending ? (
        <LoadingState label="Loading your tasks…" />
      ) : !tasks.data ? (
        <ErrorState error={tasks.error} title="Could not load your tasks" onRetry={() => void tasks.refetch()} />
      ) : (
        <>
          {tasks.isError ? (
            <Alert color="yellow" variant="light" title="Showing the last list" role="status">
              Could not refresh: {errorMessage(tasks.error)}
            </Alert>
          ) : null}
          {tasks.data.length === 0 ? (
            <EmptyState icon={<IconClipboardList size={28} aria-hidden />} title="No tasks assigned — stay on duty">
              {worker.onDuty
                ? 'New tasks appear here as soon as your dispatcher assigns them.'
                : 'Go on duty so your dispatcher knows you are available. New tasks appear here.'}
            </EmptyState>
          ) : (
            <TaskList tasks={tasks.data} />
          )}
        </>
      )}
    </Stack>
  );
}

function TaskList({ tasks }: { tasks: Task[] }) {
  const position = new Map(tasks.map((t, i) => [t.id, i + 1]));
  return (
    <Stack component="ol" gap="sm" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Tasks in order">
      {tasks.map((task, i) => {
        const waitsFor = task.dependencies.map((id) => position.get(id)).filter((n): n is number => n !== undefined);
        return (
          <li key={task.id}>
            <TaskCard task={task} position={i + 1} waitsFor={waitsFor} />
          </li>
        );
      })}
    </Stack>
  );
}

function TaskCard({ task, position, waitsFor }: { task: Task; position: number; waitsFor: number[] }) {
  const active = task.state === 2;
  const slot = timeWindow(task);
  const recipient = task.recipients[0]?.name;
  const place = placeLine(task.destination.address);
  return (
    <Card
      component={Link}
      to={paths.driverTask(task.id)}
      padding="md"
      radius="md"
      withBorder
      aria-current={active ? 'step' : undefined}
      style={{
        borderColor: active ? 'var(--mantine-color-green-7)' : undefined,
        borderWidth: active ? 2 : undefined,
        background: active ? 'var(--mantine-color-green-0)' : undefined,
      }}
    >
      <Group wrap="nowrap" align="flex-start" gap="md">
        <Box
          aria-label={`Task ${position}`}
          role="img"
          w={36}
          h={36}
          style={{
            flex: 'none',
            borderRadius: '50%',
            display: 'grid',
            placeItems: 'center',
            fontWeight: 700,
            color: active ? 'white' : 'var(--mantine-color-indigo-9)',
            background: active ? SUCCESS_COLOR : 'var(--mantine-color-indigo-1)',
          }}
        >
          {position}
        </Box>
        <Stack gap={6} style={{ flex: 1, minWidth: 0 }}>
          <TaskBadges task={task} />
          <Box>
            <Text fw={650} fz="lg" lh={1.3} style={{ overflowWrap: 'anywhere' }}>
              {streetLine(task.destination.address)}
            </Text>
            {place ? (
              <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                {place}
              </Text>
            ) : null}
          </Box>
          {recipient ? (
            <Group gap={6} wrap="nowrap">
              <IconUser size={16} aria-hidden style={{ flex: 'none' }} />
              <Text size="sm" truncate="end">
                {recipient}
              </Text>
            </Group>
          ) : null}
          {slot ? (
            <Group gap={6} wrap="nowrap">
              <IconClock size={16} aria-hidden style={{ flex: 'none' }} />
              <Text size="sm">{slot}</Text>
            </Group>
          ) : null}
          {waitsFor.length ? (
            <Group gap={6} wrap="nowrap">
              <IconLink size={16} aria-hidden style={{ flex: 'none' }} />
              <Text size="sm">After task {waitsFor.join(', ')}</Text>
            </Group>
          ) : null}
          <Text size="xs" c="dimmed">
            {task.orderShortId ? `Order ${task.orderShortId} · ` : ''}Task {task.shortId}
          </Text>
        </Stack>
        <IconChevronRight size={22} aria-hidden style={{ flex: 'none', alignSelf: 'center' }} />
      </Group>
    </Card>
  );
}
