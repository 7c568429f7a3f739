import { Alert, Anchor, Box, Button, Group, List, Paper, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import {
  IconAlertTriangle,
  IconArrowLeft,
  IconCamera,
  IconClock,
  IconId,
  IconLink,
  IconNavigation,
  IconNotes,
  IconPhone,
  IconPlayerPlay,
  IconSignature,
} from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { paths } from '../../../shared/paths.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorState, LoadingState } from '../../components/QueryState.tsx';
import type { Task } from '../../lib/types.ts';
import { driverTasksQuery, useStartTask } from './api/driver.ts';
import { CompletionForm, type Outcome } from './CompletionForm.tsx';
import { useDriver } from './driver-context.tsx';
import { TaskBadges } from './TaskBadges.tsx';
import { navigationUrl, placeLine, streetLine, taskKind, timeWindow } from './task-format.ts';
import { DANGER_COLOR, SUCCESS_COLOR } from './colors.ts';

/** /driver/tasks/:id — one task: where, who, what is needed; start it, then complete or fail it. */
export function DriverTaskPage() {
  const { id = '' } = useParams();
  const tasks = useQuery(driverTasksQuery);

  const back = (
    <Button component={Link} to={paths.driver()} variant="subtle" size="md" px="xs" leftSection={<IconArrowLeft size={20} aria-hidden />} w="fit-content">
      All tasks
    </Button>
  );

  if (tasks.isPending) return <LoadingState label="Loading the task…" />;
  if (!tasks.data) {
    return (
      <Stack gap="md">
        {back}
        <ErrorState error={tasks.error} title="Could not load the task" onRetry={() => void tasks.refetch()} />
      </Stack>
    );
  }
  const index = tasks.data.findIndex((t) => t.id === id);
  if (index < 0) {
    return (
      <Stack gap="md">
        {back}
        <EmptyState title="This task is not on your list">
          It may be completed already, or your dispatcher gave it to someone else.
        </EmptyState>
      </Stack>
    );
  }
  return (
    <Stack gap="md">
      {back}
      <TaskDetails key={id} task={tasks.data[index]} position={index + 1} all={tasks.data} />
    </Stack>
  );
}

function TaskDetails({ task, position, all }: { task: Task; position: number; all: Task[] }) {
  const address = task.destination.address;
  const place = placeLine(address);
  const slot = timeWindow(task);
  const contactTitle = task.pickupTask ? 'Contact at pickup' : 'Recipient';

  return (
    <>
      <Paper p="md" radius="md" component="section" aria-labelledby="task-title">
        <Stack gap="sm">
          <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
            <TaskBadges task={task} />
            <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
              Task {position} of {all.length}
            </Text>
          </Group>
          <Box>
            {address.name ? <Text fw={600}>{address.name}</Text> : null}
            <Title order={1} fz={22} lh={1.3} id="task-title" style={{ overflowWrap: 'anywhere' }}>
              <VisuallyHidden>{taskKind(task)}: </VisuallyHidden>
              {streetLine(address)}
            </Title>
            {place ? <Text c="dimmed">{place}</Text> : null}
          </Box>
          {slot ? (
            <Group gap={6} wrap="nowrap">
              <IconClock size={18} aria-hidden style={{ flex: 'none' }} />
              <Text>{slot}</Text>
            </Group>
          ) : null}
          <Button
            component="a"
            href={navigationUrl(task)}
            target="_blank"
            rel="noopener noreferrer"
            size="lg"
            variant="light"
            fullWidth
            leftSection={<IconNavigation size={20} aria-hidden />}
          >
            Navigate
            <VisuallyHidden> (opens Google Maps in a new tab)</VisuallyHidden>
          </Button>
          {task.destination.notes ? (
            <Box>
              <Text size="sm" fw={600}>
                Address notes
              </Text>
              <Text style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{task.destination.notes}</Text>
            </Box>
          ) : null}
        </Stack>
      </Paper>

      <Paper p="md" radius="md" component="section" aria-labelledby="contact-title">
        <Stack gap="sm">
          <Title order={2} fz="lg" id="contact-title">
            {contactTitle}
          </Title>
          {task.recipients.length === 0 ? <Text c="dimmed">No contact details for this task.</Text> : null}
          {task.recipients.map((r) => (
            <Stack key={r.id} gap={6}>
              <Text fw={600} fz="lg">
                {r.name}
              </Text>
              {r.notes ? <Text style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{r.notes}</Text> : null}
              {r.phone ? (
                <Button
                  component="a"
                  href={`tel:${r.phone}`}
                  size="lg"
                  variant="default"
                  fullWidth
                  leftSection={<IconPhone size={20} aria-hidden />}
                >
                  Call {r.phone}
                  <VisuallyHidden> ({r.name})</VisuallyHidden>
                </Button>
              ) : null}
            </Stack>
          ))}
        </Stack>
      </Paper>

      <Paper p="md" radius="md" component="section" aria-labelledby="details-title">
        <Stack gap="sm">
          <Title order={2} fz="lg" id="details-title">
            Details
          </Title>
          {task.notes ? (
            <Box>
              <Text size="sm" fw={600}>
                Task notes
              </Text>
              <Text style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{task.notes}</Text>
            </Box>
          ) : null}
          {task.quantity > 0 ? (
            <Text>
              <Text span fw={600}>
                Items:
              </Text>{' '}
              {task.quantity}
            </Text>
          ) : null}
          <Requirements task={task} />
          <Text size="sm" c="dimmed">
            {task.orderShortId ? `Order ${task.orderShortId} · ` : ''}Task {task.shortId}
          </Text>
        </Stack>
      </Paper>

      <TaskActions task={task} all={all} />
    </>
  );
}

function Requirements({ task }: { task: Task }) {
  const r = task.requirements;
  const items = [
    r.photo ? { icon: <IconCamera size={18} aria-hidden />, text: 'A photo' } : null,
    r.signature ? { icon: <IconSignature size={18} aria-hidden />, text: 'The recipient’s signature' } : null,
    r.notes ? { icon: <IconNotes size={18} aria-hidden />, text: 'Notes' } : null,
    r.minimumAge > 0 ? { icon: <IconId size={18} aria-hidden />, text: `Check ID: the recipient must be ${r.minimumAge} or older` } : null,
  ].filter((x) => x !== null);
  if (items.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No proof required to complete this task.
      </Text>
    );
  }
  return (
    <Box>
      <Text size="sm" fw={600}>
        Needed to complete
      </Text>
      <List spacing={4} mt={4} center>
        {items.map((item) => (
          <List.Item key={item.text} icon={item.icon}>
            {item.text}
          </List.Item>
        ))}
      </List>
    </Box>
  );
}

function TaskActions({ task, all }: { task: Task; all: Task[] }) {
  const { worker } = useDriver();
  const start = useStartTask();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const formRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!outcome || !formRef.current) return;
    formRef.current.scrollIntoView({ behavior: 'smooth', block: 'start' });
    formRef.current.querySelector<HTMLElement>('h2')?.focus();
  }, [outcome]);

  if (task.state === 2) {
    if (outcome) {
      return (
        <Box ref={formRef} style={{ scrollMarginTop: 72 }}>
          <CompletionForm task={task} outcome={outcome} onCancel={() => setOutcome(null)} />
        </Box>
      );
    }
    return (
      <ActionBar label="Finish the task">
        <Group grow gap="sm" wrap="nowrap">
          <Button size="lg" color={DANGER_COLOR} variant="outline" onClick={() => setOutcome('failure')}>
            Failed
          </Button>
          <Button size="lg" color={SUCCESS_COLOR} onClick={() => setOutcome('success')}>
            Complete
          </Button>
        </Group>
      </ActionBar>
    );
  }

  const other = all.find((t) => t.state === 2 && t.id !== task.id);
  const waitsFor = all.filter((t) => task.dependencies.includes(t.id));
  const blocked = !worker.onDuty ? 'Go on duty to start this task.' : other ? 'Finish your task in progress first.' : null;

  return (
    <ActionBar label="Start the task">
      <Stack gap="sm">
        {waitsFor.length && !blocked ? (
          <Group gap={6} wrap="nowrap" align="flex-start">
            <IconLink size={18} aria-hidden style={{ flex: 'none', marginTop: 3 }} />
            <Text size="sm">
              This {taskKind(task).toLowerCase()} comes after{' '}
              {waitsFor.map((t) => `${taskKind(t).toLowerCase()} ${all.indexOf(t) + 1}`).join(', ')}: complete that first.
            </Text>
          </Group>
        ) : null}
        <Button
          size="xl"
          fullWidth
          leftSection={<IconPlayerPlay size={22} aria-hidden />}
          disabled={!!blocked}
          loading={start.isPending}
          aria-describedby={blocked ? 'start-blocked' : undefined}
          onClick={() => start.mutate(task.id)}
        >
          Start {taskKind(task).toLowerCase()}
        </Button>
        {blocked ? (
          <Text size="sm" id="start-blocked" fw={500}>
            {blocked}{' '}
            {other ? (
              <Anchor component={Link} to={paths.driverTask(other.id)} fw={600}>
                Open it
              </Anchor>
            ) : null}
          </Text>
        ) : null}
        {start.isError ? (
          <Alert color="red" variant="light" title="This task cannot start yet" icon={<IconAlertTriangle aria-hidden />} role="alert">
            {start.error.message}
          </Alert>
        ) : null}
      </Stack>
    </ActionBar>
  );
}

/** The task's main action, kept in reach at the bottom of the screen while the details scroll. */
function ActionBar({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Paper
      component="section"
      aria-label={label}
      p="md"
      radius="md"
      shadow="md"
      pos="sticky"
      bottom={8}
      style={{ zIndex: 2 }}
    >
      {children}
    </Paper>
  );
}
