import { Button, Center, Chip, Grid, Group, Loader, Paper, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { modals } from '@mantine/modals';
import { IconArrowBackUp, IconFileImport, IconFilterOff, IconRoute, IconRoute2, IconUserPlus } from '@tabler/icons-react';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { paths } from '../../../shared/paths.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useFormatters } from '../../lib/format.ts';
import { errorMessage } from '../../lib/api.ts';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import { teamsQuery, workersQuery } from '../../lib/queries.ts';
import { usePermissions } from '../../lib/session.tsx';
import type { TaskStateNumber } from '../../lib/types.ts';
import { useLiveUpdates } from '../orders/api/live-updates.ts';
import { LiveBadge } from '../orders/components/LiveBadge.tsx';
import { endOfZonedDay, zonedInputToMs } from '../orders/lib/time.ts';
import { clientDirectoryQuery } from './api/client-directory.ts';
import { tasksQuery, type TaskFilters } from './api/list-tasks.ts';
import { useMoveTasks } from './api/move-tasks.ts';
import { AssignModal } from './components/AssignModal.tsx';
import { DispatchMap } from './components/DispatchMap.tsx';
import { OptimizeRoutesModal } from './components/OptimizeRoutesModal.tsx';
import { RoutePanel } from './components/RoutePanel.tsx';
import { TaskDrawer } from './components/TaskDrawer.tsx';
import { TasksTable } from './components/TasksTable.tsx';
import { groupTasks, makeDirectory, movable } from './lib/tasks.ts';

const STATE_OPTIONS = [
  { value: '0', label: 'Unassigned' },
  { value: '1', label: 'Assigned' },
  { value: '2', label: 'Active' },
  { value: '3', label: 'Done' },
];
/** Without a state in the address, dispatch shows the open tasks; "all" shows every state. */
const OPEN_STATES = '0,1,2';
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const plural = (n: number, one: string) => `${n} ${n === 1 ? one : `${one}s`}`;

/** The dispatcher's desk: tasks (order pairs together), a live map, assignment and drivers' routes. */
export function DispatchPage() {
  const [params, setParams] = useSearchParams();
  const { canWrite } = usePermissions();
  const { timeZone } = useFormatters();
  const live = useLiveUpdates();
  const workers = useQuery(workersQuery);
  const teams = useQuery(teamsQuery);
  const clients = useQuery(clientDirectoryQuery);
  const dir = useMemo(() => makeDirectory(workers.data, teams.data, clients.data), [workers.data, teams.data, clients.data]);

  const stateParam = params.get('state') ?? OPEN_STATES;
  const team = params.get('team');
  const worker = params.get('worker');
  const client = params.get('client');
  const fromDay = DAY.test(params.get('from') ?? '') ? params.get('from')! : '';
  const toDay = DAY.test(params.get('to') ?? '') ? params.get('to')! : '';
  const openTaskId = params.get('task');
  const stateValues = stateParam === 'all' ? [] : stateParam.split(',');

  const filters: TaskFilters = useMemo(
    () => ({
      states: stateParam === 'all' ? [] : (stateParam.split(',').filter((s) => /^[0-3]$/.test(s)).map(Number) as TaskStateNumber[]),
      team,
      worker,
      merchant: client,
      from: fromDay ? zonedInputToMs(fromDay, timeZone) : null,
      to: toDay ? endOfZonedDay(toDay, timeZone) : null,
    }),
    [stateParam, team, worker, client, fromDay, toDay, timeZone],
  );
  const filtersKey = JSON.stringify(filters);
  const tasks = useInfiniteQuery({ ...tasksQuery(filters), placeholderData: keepPreviousData });
  const list = useMemo(() => tasks.data?.pages.flatMap((p) => p.tasks) ?? [], [tasks.data]);
  const groups = useMemo(() => groupTasks(list), [list]);
  const known = useMemo(() => new Map(list.map((t) => [t.id, t])), [list]);

  const [selectedIds, setSelectedIds] = useState<Set<string>>(() => new Set());
  // Only what is still listed counts as selected (a filter or a live change may have removed a task).
  const selected = list.filter((t) => selectedIds.has(t.id));
  const [assigning, setAssigning] = useState(false);
  const [optimizing, setOptimizing] = useState(false);
  const move = useMoveTasks();

  const setParam = (key: string, value: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  const openTask = (id: string) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      next.set('task', id);
      return next;
    });
  const closeTask = () => setParam('task', null);
  const onSelect = (ids: string[], checked: boolean) =>
    setSelectedIds((prev) => {
      const next = new Set(prev);
      for (const id of ids) {
        if (checked) next.add(id);
        else next.delete(id);
      }
      return next;
    });
  const clearSelection = () => setSelectedIds(new Set());

  const filtered = params.has('state') || !!team || !!worker || !!client || !!fromDay || !!toDay;
  const clearFilters = () => setParams(openTaskId ? { task: openTaskId } : {}, { replace: true });

  const unassignSelected = () => {
    const movableTasks = selected.filter(movable).filter((t) => t.worker || t.container.type === 'TEAM');
    if (movableTasks.length === 0) {
      notifyError(new Error('None of the selected tasks is assigned, or they have already started.'), 'Nothing to unassign');
      return;
    }
    modals.openConfirmModal({
      title: `Unassign ${plural(movableTasks.length, 'task')}?`,
      children: (
        <Text size="sm">
          {movableTasks.map((t) => t.shortId).join(', ')}{' '}
          {movableTasks.length === 1 ? 'goes back to the unassigned tasks; its driver no longer sees it.' : 'go back to the unassigned tasks; their drivers no longer see them.'}
        </Text>
      ),
      labels: { confirm: 'Unassign', cancel: 'Cancel' },
      onConfirm: () =>
        move.mutate(
          { tasks: movableTasks, target: { type: 'ORGANIZATION' } },
          {
            onSuccess: ({ moved, failed }) => {
              if (moved.length) notifySuccess(`${plural(moved.length, 'task')} unassigned.`);
              if (failed.length) notifyError(new Error(failed.map((f) => `Task ${f.shortId}: ${errorMessage(f.error)}`).join(' ')), 'Some tasks were not unassigned');
              clearSelection();
            },
            onError: (e) => notifyError(e, 'Could not unassign the tasks'),
          },
        ),
    });
  };

  // Importing while the list is filtered to one active client imports for that client.
  const filteredClient = client ? clients.data?.find((c) => c.organization === client && c.status === 'active') : undefined;
  const importPath = filteredClient ? `${paths.courierImportOrders()}?client=${encodeURIComponent(filteredClient.id)}` : paths.courierImportOrders();

  const optionsOf = <T extends { id: string; name: string }>(items: T[] | undefined) =>
    [...(items ?? [])].sort((a, b) => a.name.localeCompare(b.name)).map((x) => ({ value: x.id, label: x.name }));
  const clientOptions = (clients.data ?? [])
    .filter((c) => c.organization)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((c) => ({ value: c.organization!, label: c.status === 'deleted' ? `${c.name} (deleted)` : c.name }));

  return (
    <>
      <PageHeader
        title="Dispatch"
        description="Assign tasks to drivers and follow them as they happen."
        actions={
          <>
            <LiveBadge status={live} />
            {canWrite ? (
              <Button variant="default" component={Link} to={importPath} leftSection={<IconFileImport size={18} aria-hidden />}>
                Import orders
              </Button>
            ) : null}
            {canWrite ? (
              <Button leftSection={<IconRoute2 size={18} aria-hidden />} onClick={() => setOptimizing(true)} disabled={!teams.data?.length}>
                Optimize routes
              </Button>
            ) : null}
          </>
        }
      />
      <Stack gap="md">
        <Paper p="md" radius="md" component="section" aria-label="Filters">
          <Group gap="sm" align="flex-start" wrap="wrap">
            <Stack gap={6}>
              <Text component="span" size="sm" fw={500} id="dispatch-state-label">
                State
              </Text>
              <Chip.Group multiple value={stateValues} onChange={(v) => setParam('state', v.length ? [...v].sort().join(',') : 'all')}>
                <Group gap={6} role="group" aria-labelledby="dispatch-state-label" wrap="nowrap">
                  {STATE_OPTIONS.map((o) => (
                    <Chip key={o.value} value={o.value} size="sm" variant="outline">
                      {o.label}
                    </Chip>
                  ))}
                </Group>
              </Chip.Group>
            </Stack>
            <Select
              label="Team queue"
              w={150}
              placeholder="Any team"
              data={optionsOf(teams.data)}
              value={team}
              onChange={(v) => setParam('team', v)}
              clearable
              clearButtonProps={{ 'aria-label': 'Clear the team filter' }}
              searchable
            />
            <Select
              label="Driver"
              w={150}
              placeholder="Any driver"
              data={optionsOf(workers.data)}
              value={worker}
              onChange={(v) => setParam('worker', v)}
              clearable
              clearButtonProps={{ 'aria-label': 'Clear the driver filter' }}
              searchable
            />
            <Select
              label="Client"
              w={150}
              placeholder="Any client"
              data={clientOptions}
              value={client}
              onChange={(v) => setParam('client', v)}
              clearable
              clearButtonProps={{ 'aria-label': 'Clear the client filter' }}
              searchable
            />
            <TextInput
              label="Created from"
              w={150}
              type="date"
              value={fromDay}
              max={toDay || undefined}
              onChange={(e) => setParam('from', e.currentTarget.value || null)}
            />
            <TextInput
              label="Created until"
              w={150}
              type="date"
              value={toDay}
              min={fromDay || undefined}
              onChange={(e) => setParam('to', e.currentTarget.value || null)}
              error={fromDay && toDay && fromDay > toDay ? 'Before the start date' : undefined}
            />
          </Group>
        </Paper>

        <Grid gutter="md">
          <Grid.Col span={{ base: 12, xl: 8 }} order={{ base: 2, xl: 1 }}>
            <Stack gap="sm">
              {canWrite ? (
                <Paper p="xs" px="sm" radius="md" component="section" aria-label="Selected tasks">
                  <Group justify="space-between" gap="xs">
                    <Text size="sm" aria-live="polite" fw={selected.length ? 600 : undefined} c={selected.length ? undefined : 'dimmed'}>
                      {selected.length ? `${plural(selected.length, 'task')} selected` : 'Select tasks to assign them'}
                    </Text>
                    <Group gap="xs">
                      <Button size="xs" leftSection={<IconUserPlus size={16} aria-hidden />} disabled={!selected.length} onClick={() => setAssigning(true)}>
                        Assign to…
                      </Button>
                      <Button
                        size="xs"
                        variant="default"
                        leftSection={<IconArrowBackUp size={16} aria-hidden />}
                        disabled={!selected.length}
                        loading={move.isPending}
                        onClick={unassignSelected}
                      >
                        Unassign
                      </Button>
                      <Button size="xs" variant="subtle" color="gray" disabled={!selected.length} onClick={clearSelection}>
                        Clear selection
                      </Button>
                    </Group>
                  </Group>
                </Paper>
              ) : null}
              <QueryState
                query={{ ...tasks, data: groups }}
                loadingLabel="Loading tasks…"
                errorTitle="Could not load the tasks"
                isEmpty={(g) => g.length === 0}
                empty={
                  filtered ? (
                    <EmptyState
                      icon={<IconFilterOff size={28} aria-hidden />}
                      title="No tasks match"
                      action={
                        <Button variant="light" onClick={clearFilters} leftSection={<IconFilterOff size={16} aria-hidden />}>
                          Clear filters
                        </Button>
                      }
                    >
                      Try other filters.
                    </EmptyState>
                  ) : (
                    <EmptyState icon={<IconRoute size={28} aria-hidden />} title="No open tasks">
                      New orders from your clients appear here as soon as they are placed, ready to assign.
                    </EmptyState>
                  )
                }
              >
                {(data) => (
                  <Stack gap="sm">
                    <Group justify="space-between">
                      <Text size="sm" c="dimmed">
                        {tasks.hasNextPage ? `The first ${plural(list.length, 'task')}` : plural(list.length, 'task')}, oldest first
                      </Text>
                      {tasks.isFetching && !tasks.isFetchingNextPage ? <Loader size="xs" aria-label="Refreshing" /> : null}
                    </Group>
                    <TasksTable
                      groups={data}
                      dir={dir}
                      selected={selectedIds}
                      onSelect={onSelect}
                      openTaskId={openTaskId}
                      onOpen={openTask}
                      selectable={canWrite}
                    />
                    {tasks.hasNextPage ? (
                      <Center>
                        <Button variant="default" loading={tasks.isFetchingNextPage} onClick={() => void tasks.fetchNextPage()}>
                          Load more tasks
                        </Button>
                      </Center>
                    ) : null}
                  </Stack>
                )}
              </QueryState>
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, xl: 4 }} order={{ base: 1, xl: 2 }}>
            <SimpleGrid
              cols={{ base: 1, md: 2, xl: 1 }}
              spacing="md"
              pos="sticky"
              top={76}
              mah={{ xl: 'calc(100dvh - 92px)' }}
              style={{ overflowY: 'auto' }}
            >
              <DispatchMap
                groups={groups}
                drivers={workers.data ?? []}
                openTaskId={openTaskId}
                onOpen={openTask}
                height={420}
                fitKey={tasks.isPlaceholderData ? undefined : filtersKey}
              />
              <RoutePanel dir={dir} onOpen={openTask} canWrite={canWrite} />
            </SimpleGrid>
          </Grid.Col>
        </Grid>
      </Stack>

      <TaskDrawer taskId={openTaskId} dir={dir} known={known} onClose={closeTask} onOpen={openTask} canWrite={canWrite} />
      {optimizing && teams.data ? (
        <OptimizeRoutesModal teams={teams.data} workers={workers.data ?? []} initialTeam={team} onClose={() => setOptimizing(false)} />
      ) : null}
      {assigning ? (
        <AssignModal tasks={selected} known={known} dir={dir} onClose={() => setAssigning(false)} onDone={clearSelection} />
      ) : null}
    </>
  );
}
