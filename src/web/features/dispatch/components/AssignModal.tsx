import { Alert, Button, Group, List, Modal, Select, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconInfoCircle } from '@tabler/icons-react';
import { useQueries } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { errorMessage } from '../../../lib/api.ts';
import { notifyError, notifySuccess } from '../../../lib/notify.ts';
import type { TaskWithEta } from '../../../lib/types.ts';
import { taskQuery } from '../api/get-task.ts';
import { useMoveTasks, type TaskTarget } from '../api/move-tasks.ts';
import { movable, splitPairWarnings, type Directory } from '../lib/tasks.ts';

/** "worker:<id>" or "team:<id>" */
function targetOf(value: string | null): TaskTarget | null {
  if (!value) return null;
  const [kind, id] = value.split(':');
  if (kind === 'worker' && id) return { type: 'WORKER', worker: id };
  if (kind === 'team' && id) return { type: 'TEAM', team: id };
  return null;
}

export function targetLabel(target: TaskTarget, dir: Directory): string {
  if (target.type === 'WORKER') return dir.driver(target.worker) ?? 'the driver';
  if (target.type === 'TEAM') return `team ${dir.team(target.team) ?? ''}`.trim();
  return 'unassigned';
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Assigns tasks to a driver or a team's queue. Before confirming it warns when a dropoff would go to
 * a different driver than its pickup, and names the tasks that can no longer move.
 */
export function AssignModal({
  tasks,
  known,
  dir,
  onClose,
  onDone,
}: {
  tasks: TaskWithEta[];
  known: Map<string, TaskWithEta>;
  dir: Directory;
  onClose: () => void;
  onDone?: () => void;
}) {
  const [value, setValue] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const move = useMoveTasks();
  const target = targetOf(value);

  // Pickups of the chosen dropoffs that this page has not loaded (e.g. filtered out).
  const missing = useMemo(
    () => [...new Set(tasks.filter((t) => !t.pickupTask && t.orderShortId).flatMap((t) => t.dependencies))].filter((id) => !known.has(id)),
    [tasks, known],
  );
  const fetched = useQueries({ queries: missing.map((id) => ({ ...taskQuery(id), staleTime: 10_000 })) });
  const allKnown = new Map(known);
  for (const q of fetched) if (q.data) allKnown.set(q.data.id, q.data);

  const movableTasks = tasks.filter(movable);
  const stuck = tasks.filter((t) => !movable(t));
  const warnings = target?.type === 'WORKER' ? splitPairWarnings(movableTasks, target.worker, allKnown, dir) : [];

  const data = [
    {
      group: 'Drivers',
      items: [...dir.drivers]
        .sort((a, b) => Number(b.onDuty) - Number(a.onDuty) || a.name.localeCompare(b.name))
        .map((w) => ({ value: `worker:${w.id}`, label: `${w.name}${w.onDuty ? ' · on duty' : ' · off duty'}` })),
    },
    { group: 'Teams (their queue)', items: [...dir.teams].sort((a, b) => a.name.localeCompare(b.name)).map((t) => ({ value: `team:${t.id}`, label: t.name })) },
  ];

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!target) {
      setError('Choose a driver or a team.');
      return;
    }
    // Pickups first, so each sits before its dropoff on the driver's list.
    const ordered = [...movableTasks].sort((a, b) => Number(b.pickupTask) - Number(a.pickupTask));
    move.mutate(
      { tasks: ordered, target },
      {
        onSuccess: ({ moved, failed }) => {
          const to = targetLabel(target, dir);
          if (moved.length) notifySuccess(`${plural(moved.length, 'task')} assigned to ${to}.`);
          if (failed.length) {
            notifyError(new Error(failed.map((f) => `Task ${f.shortId}: ${errorMessage(f.error)}`).join(' ')), `${plural(failed.length, 'task')} could not be assigned`);
          }
          onDone?.();
          onClose();
        },
        onError: (e) => notifyError(e, 'Could not assign the tasks'),
      },
    );
  };

  const title = tasks.length === 1 ? `Assign task ${tasks[0].shortId}` : `Assign ${plural(tasks.length, 'task')}`;
  return (
    <Modal opened onClose={onClose} title={title}>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <Select
            label="Assign to"
            placeholder="Choose a driver or a team"
            data={data}
            value={value}
            onChange={(v) => {
              setValue(v);
              setError(null);
            }}
            searchable
            nothingFoundMessage="No driver or team matches"
            error={error}
            data-autofocus
            maxDropdownHeight={300}
            comboboxProps={{ withinPortal: true }}
          />
          {target?.type === 'TEAM' ? (
            <Text size="sm" c="dimmed">
              The tasks wait, unassigned, in the team’s queue until a driver is chosen.
            </Text>
          ) : null}
          {warnings.length ? (
            <Alert color="yellow" variant="light" icon={<IconAlertTriangle aria-hidden />} title="Pickup and dropoff with different drivers" role="alert">
              <List size="sm" spacing={4}>
                {warnings.map((w) => (
                  <List.Item key={`${w.taskId}:${w.text}`}>{w.text}</List.Item>
                ))}
              </List>
              <Text size="sm" mt="xs">
                The parcel must change hands between them. Assign anyway, or select both tasks of the order.
              </Text>
            </Alert>
          ) : null}
          {stuck.length ? (
            <Alert color="gray" variant="light" icon={<IconInfoCircle aria-hidden />} title={`${plural(stuck.length, 'task')} will stay where they are`}>
              <Text size="sm">
                {stuck.map((t) => t.shortId).join(', ')} {stuck.length === 1 ? 'has' : 'have'} started or finished and can no longer be
                reassigned.
              </Text>
            </Alert>
          ) : null}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={move.isPending} disabled={movableTasks.length === 0} color={warnings.length ? 'yellow.8' : undefined}>
              {warnings.length ? 'Assign anyway' : 'Assign'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
