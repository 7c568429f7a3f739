import { ActionIcon, Anchor, Badge, Group, Paper, Select, Stack, Text, Title, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconArrowDown, IconArrowUp } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ErrorState, LoadingState } from '../../../components/QueryState.tsx';
import { notifyError } from '../../../lib/notify.ts';
import type { TaskWithEta } from '../../../lib/types.ts';
import { TaskStatusBadge } from '../../orders/components/StatusBadges.tsx';
import { addressText, taskKind } from '../../orders/lib/labels.ts';
import { useMoveInRoute, workerRouteQuery } from '../api/worker-route.ts';
import type { Directory } from '../lib/tasks.ts';

/** Dropoffs listed before their own pickup. */
function outOfOrder(tasks: TaskWithEta[]): Set<string> {
  const position = new Map(tasks.map((t, i) => [t.id, i]));
  const bad = new Set<string>();
  tasks.forEach((t, i) => {
    for (const dep of t.dependencies) {
      const p = position.get(dep);
      if (p !== undefined && p > i) bad.add(t.id);
    }
  });
  return bad;
}

/** A driver's task list in route order, with buttons to move a task up or down. */
export function RoutePanel({ dir, onOpen, canWrite }: { dir: Directory; onOpen: (taskId: string) => void; canWrite: boolean }) {
  const [workerId, setWorkerId] = useState<string | null>(null);
  const drivers = [...dir.drivers].sort((a, b) => Number(b.onDuty) - Number(a.onDuty) || a.name.localeCompare(b.name));

  // Start with a driver who has work, when there is one.
  useEffect(() => {
    if (workerId && dir.drivers.some((w) => w.id === workerId)) return;
    const first = drivers.find((w) => w.tasks.length > 0) ?? drivers[0];
    setWorkerId(first?.id ?? null);
    // (only when the list of drivers changes)
  }, [dir.drivers]);

  return (
    <Paper p="md" radius="md" component="section" aria-labelledby="route-panel-title">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end" gap="sm">
          <Title order={2} fz="md" id="route-panel-title">
            Driver route
          </Title>
          <Select
            label="Driver"
            w={220}
            size="xs"
            data={drivers.map((w) => ({ value: w.id, label: `${w.name}${w.onDuty ? ' · on duty' : ''}` }))}
            value={workerId}
            onChange={setWorkerId}
            allowDeselect={false}
            placeholder={drivers.length ? 'Choose a driver' : 'No drivers yet'}
            disabled={drivers.length === 0}
          />
        </Group>
        {workerId ? <RouteList workerId={workerId} dir={dir} onOpen={onOpen} canWrite={canWrite} /> : null}
      </Stack>
    </Paper>
  );
}

function RouteList({ workerId, dir, onOpen, canWrite }: { workerId: string; dir: Directory; onOpen: (taskId: string) => void; canWrite: boolean }) {
  const route = useQuery(workerRouteQuery(workerId));
  const move = useMoveInRoute();
  const name = dir.driver(workerId) ?? 'This driver';

  if (route.isPending) return <LoadingState label="Loading the route…" />;
  if (route.isError) return <ErrorState error={route.error} title="Could not load the route" onRetry={() => void route.refetch()} />;
  const tasks = route.data.tasks;
  if (tasks.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {name} has no open tasks.
      </Text>
    );
  }
  const bad = outOfOrder(tasks);
  const active = tasks.filter((t) => t.state === 2);
  const open = tasks.filter((t) => t.state !== 2);

  /** Moves the task at `i` (among the open, not yet started tasks) to `i + delta`. */
  const shift = (task: TaskWithEta, i: number, delta: -1 | 1) => {
    const to = i + delta;
    const reordered = [...open];
    reordered.splice(i, 1);
    reordered.splice(to, 0, task);
    move.mutate(
      { workerId, taskId: task.id, index: to, optimistic: [...active, ...reordered] },
      { onError: (e) => notifyError(e, 'Could not change the route') },
    );
  };

  return (
    <Stack gap={6} component="ol" m={0} p={0} style={{ listStyle: 'none' }} aria-label={`${name}'s route`}>
      {tasks.map((t, position) => {
        const kind = taskKind(t);
        const i = open.indexOf(t);
        return (
          <Paper key={t.id} component="li" p="xs" radius="sm" withBorder bg={t.state === 2 ? 'violet.0' : undefined}>
            <Group gap="xs" wrap="nowrap" align="flex-start">
              <Text fw={700} size="sm" w={22} ta="right" aria-hidden>
                {position + 1}.
              </Text>
              <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
                <Group gap={6}>
                  <Anchor component="button" type="button" size="sm" fw={600} ff="monospace" onClick={() => onOpen(t.id)}>
                    {t.shortId}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {kind}
                  </Text>
                  <TaskStatusBadge task={t} size="sm" />
                  {bad.has(t.id) ? (
                    <Tooltip label="This dropoff comes before its pickup">
                      <Badge color="yellow" variant="light" size="sm" tt="none" leftSection={<IconAlertTriangle size={12} aria-hidden />} tabIndex={0}>
                        Before its pickup
                      </Badge>
                    </Tooltip>
                  ) : null}
                </Group>
                <Text size="xs" c="dimmed" truncate="end">
                  {addressText(t.destination.address)}
                </Text>
              </Stack>
              {canWrite && t.state !== 2 ? (
                <Group gap={2} wrap="nowrap">
                  <ActionIcon
                    variant="subtle"
                    color="gray"
                    aria-label={`Move ${t.shortId} up`}
                    disabled={i <= 0 || move.isPending}
                    onClick={() => shift(t, i, -1)}
                  >
                    <IconArrowUp size={16} aria-hidden />
                  </ActionIcon>
                  <ActionIcon
                    variant="subtle"
                    color="gray"
                    aria-label={`Move ${t.shortId} down`}
                    disabled={i >= open.length - 1 || move.isPending}
                    onClick={() => shift(t, i, 1)}
                  >
                    <IconArrowDown size={16} aria-hidden />
                  </ActionIcon>
                </Group>
              ) : null}
            </Group>
          </Paper>
        );
      })}
    </Stack>
  );
}
