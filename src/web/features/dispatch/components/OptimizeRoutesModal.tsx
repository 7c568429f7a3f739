import { Alert, Badge, Box, Button, Checkbox, Group, List, Modal, NumberInput, Progress, ScrollArea, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconInfoCircle, IconRoute } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { LeafletMap, type MapLine, type MapMarker } from '../../../components/map/LeafletMap.tsx';
import { useMapTiles } from '../../../components/map/app-config.ts';
import { errorMessage } from '../../../lib/api.ts';
import { useFormatters } from '../../../lib/format.ts';
import { notifyError, notifySuccess } from '../../../lib/notify.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import type { Team, Worker } from '../../../lib/types.ts';
import { dispatchQuery, useSettleDispatch, useStartDispatch, type Dispatch, type DispatchParams } from '../api/optimize-routes.ts';

/** One colour per route, readable on the map and as text. */
const ROUTE_COLORS = ['#1c7ed6', '#e8590c', '#2f9e44', '#ae3ec9', '#f08c00', '#0c8599', '#c2255c', '#5c940d'];
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const km = (m: number) => `${(m / 1000).toFixed(1)} km`;

type RouteEndChoice = 'hub' | 'driver' | 'last';

/**
 * "Optimize routes" for a team: the parameters, then the optimisation's progress, then the proposed routes on a
 * map (one coloured line per driver, numbered stops) and as a list, to apply or discard. "Apply at once" assigns
 * without the preview step.
 */
export function OptimizeRoutesModal({ teams, workers, initialTeam, onClose }: { teams: Team[]; workers: Worker[]; initialTeam: string | null; onClose: () => void }) {
  const [team, setTeam] = useState<string | null>(initialTeam ?? (teams.length === 1 ? teams[0].id : null));
  const [timeLimit, setTimeLimit] = useState<number | string>(10);
  const [maxTasks, setMaxTasks] = useState<number | string>(100);
  const [serviceTime, setServiceTime] = useState<number | string>(2);
  const chosen = teams.find((t) => t.id === team);
  const [routeEnd, setRouteEnd] = useState<RouteEndChoice>('hub');
  const [applyAtOnce, setApplyAtOnce] = useState(false);
  const [dispatchId, setDispatchId] = useState<string | null>(null);
  const start = useStartDispatch();
  const queryClient = useQueryClient();

  const onDuty = workers.filter((w) => w.onDuty && chosen && w.teams.includes(chosen.id));
  const waiting = chosen?.tasks.length ?? 0;
  const hasHub = !!chosen?.hubLocation;
  const endChoice: RouteEndChoice = routeEnd === 'hub' && !hasHub ? 'last' : routeEnd;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!team) return;
    const params: DispatchParams = {
      preview: !applyAtOnce,
      timeLimitSeconds: Number(timeLimit) || 10,
      maxTasksPerRoute: Number(maxTasks) || 100,
      serviceTime: Number(serviceTime) || 0,
      routeEnd: endChoice === 'hub' ? 'teams://DEFAULT' : endChoice === 'driver' ? 'workers://ROUTING_ADDRESS' : null,
    };
    start.mutate(
      { team, params },
      {
        onSuccess: (r) => setDispatchId(r.id),
        onError: (err) => notifyError(err, 'Could not start the optimisation'),
      },
    );
  };

  const close = () => {
    if (dispatchId) void queryClient.invalidateQueries({ queryKey: queryKeys.tasks });
    onClose();
  };

  return (
    <Modal opened onClose={close} title={chosen ? `Optimize routes: ${chosen.name}` : 'Optimize routes'} size={dispatchId ? 'xl' : 'md'}>
      {dispatchId ? (
        <DispatchProgress id={dispatchId} teamName={chosen?.name ?? 'the team'} onClose={close} onAgain={() => setDispatchId(null)} />
      ) : (
        <form onSubmit={submit} aria-label="Route optimisation settings">
          <Stack gap="sm">
            <Select
              label="Team"
              placeholder="Choose a team"
              data={teams.map((t) => ({ value: t.id, label: t.name }))}
              value={team}
              onChange={setTeam}
              required
              searchable
            />
            {chosen ? (
              waiting === 0 || onDuty.length === 0 ? (
                <Alert color="yellow" variant="light" icon={<IconInfoCircle aria-hidden />} role="status" title="Nothing to optimise yet">
                  {waiting === 0 ? `${chosen.name} has no unassigned tasks in its queue.` : `No driver of ${chosen.name} is on duty.`} Routes are made from the team’s unassigned tasks
                  and its on-duty drivers.
                </Alert>
              ) : (
                <Text size="sm" c="dimmed" role="status">
                  {plural(waiting, 'open task')} in the team’s queue, {plural(onDuty.length, 'driver')} on duty. Tasks already assigned stay with their drivers; new ones come after them.
                </Text>
              )
            ) : null}
            <SimpleGrid cols={2} spacing="sm">
              <NumberInput label="Time limit (seconds)" min={1} max={120} value={timeLimit} onChange={setTimeLimit} description="Stops earlier when it can do no better" />
              <NumberInput label="Tasks per route at most" min={1} max={200} value={maxTasks} onChange={setMaxTasks} />
              <NumberInput label="Minutes at each stop" min={0} max={1440} value={serviceTime} onChange={setServiceTime} description="For tasks without their own service time" />
              <Select
                label="Routes end"
                value={endChoice}
                onChange={(v) => setRouteEnd((v as RouteEndChoice) ?? 'hub')}
                allowDeselect={false}
                data={[
                  { value: 'hub', label: hasHub ? 'At the team’s hub' : 'At the team’s hub (none set)', disabled: !hasHub },
                  { value: 'driver', label: 'At each driver’s routing address' },
                  { value: 'last', label: 'At the last stop' },
                ]}
              />
            </SimpleGrid>
            <Checkbox label="Apply at once (assign without reviewing the routes first)" checked={applyAtOnce} onChange={(e) => setApplyAtOnce(e.currentTarget.checked)} />
            <Group justify="flex-end" mt="xs">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" leftSection={<IconRoute size={18} aria-hidden />} loading={start.isPending} disabled={!team || waiting === 0 || onDuty.length === 0}>
                {applyAtOnce ? 'Optimize and assign' : 'Optimize'}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

function DispatchProgress({ id, teamName, onClose, onAgain }: { id: string; teamName: string; onClose: () => void; onAgain: () => void }) {
  const q = useQuery(dispatchQuery(id));
  const settle = useSettleDispatch();
  const d = q.data;
  if (q.isError) {
    return (
      <Alert color="red" variant="light" role="alert" icon={<IconAlertTriangle aria-hidden />} title="Could not follow the optimisation">
        {errorMessage(q.error)}
      </Alert>
    );
  }
  if (!d || d.status === 'pending' || d.status === 'processing') {
    const p = d?.progress;
    const pct = Math.round(100 * (p?.fraction ?? 0));
    return (
      <Stack gap="sm" role="status" aria-live="polite">
        <Text>Optimizing the routes of {teamName}…</Text>
        <Progress value={pct} aria-label="Optimisation progress" animated />
        <Text size="sm" c="dimmed">
          {p ? `${pct}% — best so far: ${plural(p.vehicles, 'driver')}, ${km(p.distance)}${p.unassigned ? `, ${plural(p.unassigned, 'order')} not placed` : ''}` : d?.status === 'pending' ? 'Waiting to start…' : 'Starting…'}
        </Text>
      </Stack>
    );
  }
  if (d.status === 'failed' || !d.result) {
    return (
      <Stack gap="sm">
        <Alert color="red" variant="light" role="alert" icon={<IconAlertTriangle aria-hidden />} title="The optimisation failed">
          {d.error ?? 'No routes came out of it.'}
        </Alert>
        <Group justify="flex-end">
          <Button variant="default" onClick={onAgain}>
            Change settings
          </Button>
          <Button onClick={onClose}>Close</Button>
        </Group>
      </Stack>
    );
  }
  const act = (action: 'apply' | 'discard') =>
    settle.mutate(
      { id, action },
      {
        onSuccess: (r) => {
          if (action === 'apply') {
            const n = (r as Dispatch).result?.applied?.assignedTasksCount ?? 0;
            notifySuccess(`${plural(n, 'task')} assigned along the optimised routes.`);
          } else notifySuccess('The proposed routes were discarded.');
          onClose();
        },
        onError: (err) => notifyError(err, action === 'apply' ? 'Could not apply the routes' : 'Could not discard the routes'),
      },
    );
  return <RoutesResult d={d} onApply={() => act('apply')} onDiscard={() => act('discard')} onClose={onClose} onAgain={onAgain} busy={settle.isPending ? settle.variables?.action : undefined} />;
}

function RoutesResult({
  d,
  onApply,
  onDiscard,
  onClose,
  onAgain,
  busy,
}: {
  d: Dispatch;
  onApply: () => void;
  onDiscard: () => void;
  onClose: () => void;
  onAgain: () => void;
  busy?: 'apply' | 'discard';
}) {
  const tiles = useMapTiles();
  const fmt = useFormatters();
  const r = d.result!;
  const planned = r.routes.reduce((s, x) => s + x.tasks.length, 0);
  const time = (ms: number) => new Intl.DateTimeFormat(undefined, { timeStyle: 'short', timeZone: fmt.timeZone }).format(ms);

  const { markers, lines } = useMemo(() => {
    const markers: MapMarker[] = [];
    const lines: MapLine[] = [];
    r.routes.forEach((route, k) => {
      const color = ROUTE_COLORS[k % ROUTE_COLORS.length];
      markers.push({ id: `start:${route.worker}`, position: route.start, color, shape: 'square', label: '▶', title: `${route.workerName}: start` });
      route.tasks.forEach((s, i) =>
        markers.push({ id: `${route.worker}:${s.id}`, position: s.location, color, label: String(i + 1), title: `${route.workerName}, stop ${i + 1}: ${s.pickupTask ? 'pickup' : 'dropoff'} ${s.shortId}, ${s.address}` }),
      );
      lines.push({ id: route.worker, color, positions: [route.start, ...route.tasks.map((s) => s.location), ...(route.end ? [route.end] : [])] });
    });
    const ends = new Set<string>();
    for (const route of r.routes) {
      if (!route.end || ends.has(route.end.join(','))) continue;
      ends.add(route.end.join(','));
      markers.push({ id: `end:${route.end.join(',')}`, position: route.end, color: 'var(--mantine-color-dark-6)', shape: 'square', label: 'E', title: 'Where routes end' });
    }
    return { markers, lines };
  }, [r.routes]);

  const applied = d.status === 'applied';
  return (
    <Stack gap="sm">
      {applied ? (
        <Alert color="green" variant="light" icon={<IconCircleCheck aria-hidden />} role="status" title="Routes applied">
          {plural(r.applied?.assignedTasksCount ?? 0, 'task')} assigned to {plural(r.routes.length, 'driver')} in route order.
          {r.applied?.skipped.length ? ` ${plural(r.applied.skipped.length, 'task')} had changed meanwhile and were left as they are.` : ''}
        </Alert>
      ) : d.status === 'discarded' ? (
        <Alert color="gray" variant="light" role="status">
          These routes were discarded.
        </Alert>
      ) : null}
      {r.routes.length === 0 ? (
        <Alert color="yellow" variant="light" icon={<IconInfoCircle aria-hidden />} role="status" title="No routes">
          {r.drivers === 0 ? 'No driver of the team is on duty with a known position.' : 'None of the team’s unassigned tasks could be planned.'}
        </Alert>
      ) : (
        <Text size="sm" role="status">
          {plural(planned, 'task')} on {plural(r.routes.length, 'route')}, {km(r.routes.reduce((s, x) => s + x.distance, 0))} in all ({r.metric}).
        </Text>
      )}
      {r.warnings.map((w) => (
        <Text key={w} size="sm" c="orange.8">
          {w}
        </Text>
      ))}
      {r.routes.length ? <LeafletMap markers={markers} lines={lines} tiles={tiles} label="Map of the proposed routes" height={320} fitKey={d.id} /> : null}
      <ScrollArea.Autosize mah={260}>
        <Stack gap="xs" aria-label="Proposed routes" role="list">
          {r.routes.map((route, k) => (
            <Box key={route.worker} role="listitem" aria-label={`Route of ${route.workerName}`}>
              <Group gap="xs">
                <Box w={12} h={12} bg={ROUTE_COLORS[k % ROUTE_COLORS.length]} style={{ borderRadius: 3 }} aria-hidden />
                <Title order={4} size="sm">
                  {route.workerName}
                </Title>
                <Text size="xs" c="dimmed">
                  {plural(route.tasks.length, 'stop')}, {km(route.distance)}, {Math.round(route.duration / 60)} min
                  {route.keptTasks.length ? ` — after the ${plural(route.keptTasks.length, 'task')} already assigned` : ''}
                </Text>
              </Group>
              <List type="ordered" size="sm" ml="lg" spacing={2}>
                {route.tasks.map((s) => (
                  <List.Item key={s.id}>
                    <Badge size="xs" variant="light" color={s.pickupTask ? 'blue' : 'teal'} mr={6}>
                      {s.pickupTask ? 'Pickup' : 'Dropoff'}
                    </Badge>
                    {s.shortId} · {s.address || 'no address'} · arrives {time(s.arrival)}
                    {s.completeBefore ? ` (by ${time(s.completeBefore)})` : ''}
                  </List.Item>
                ))}
              </List>
            </Box>
          ))}
        </Stack>
      </ScrollArea.Autosize>
      {r.unassigned.length ? (
        <Alert color="yellow" variant="light" title={`${plural(r.unassigned.length, 'task')} not planned`} icon={<IconInfoCircle aria-hidden />}>
          <List size="sm" spacing={2}>
            {r.unassigned.map((u) => (
              <List.Item key={u.id}>
                {u.shortId}: {u.reason}
              </List.Item>
            ))}
          </List>
        </Alert>
      ) : null}
      <Group justify="flex-end">
        {d.status === 'completed' ? (
          <>
            <Button variant="default" onClick={onDiscard} loading={busy === 'discard'} disabled={!!busy}>
              Discard
            </Button>
            <Button onClick={onApply} loading={busy === 'apply'} disabled={!!busy || planned === 0}>
              Apply
            </Button>
          </>
        ) : (
          <>
            <Button variant="default" onClick={onAgain}>
              Optimize again
            </Button>
            <Button onClick={onClose}>Close</Button>
          </>
        )}
      </Group>
    </Stack>
  );
}
