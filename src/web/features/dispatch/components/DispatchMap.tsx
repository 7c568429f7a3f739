import { Box, Group, Text } from '@mantine/core';
import { useMemo } from 'react';
import { LeafletMap, type MapLine, type MapMarker } from '../../../components/map/LeafletMap.tsx';
import { useMapTiles } from '../../../components/map/app-config.ts';
import type { TaskWithEta, Worker } from '../../../lib/types.ts';
import { addressText, TASK_STATUS, taskKind, taskStatusKey, type TaskStatusKey } from '../../orders/lib/labels.ts';
import type { TaskGroup } from '../lib/tasks.ts';

const STATE_COLOR: Record<TaskStatusKey, string> = {
  unassigned: 'var(--mantine-color-orange-7)',
  assigned: 'var(--mantine-color-blue-7)',
  active: 'var(--mantine-color-violet-7)',
  succeeded: 'var(--mantine-color-green-8)',
  failed: 'var(--mantine-color-red-8)',
  cancelled: 'var(--mantine-color-gray-6)',
  rejected: 'var(--mantine-color-red-8)',
};
const LEGEND: TaskStatusKey[] = ['unassigned', 'assigned', 'active', 'succeeded', 'failed'];
const DRIVER_COLOR = 'var(--mantine-color-dark-6)';

function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts[parts.length - 1][0] ?? '') : '')).toUpperCase() || '?';
}

/** Tasks (coloured by state; P pickup, D dropoff) and on-duty drivers on the map; pairs joined by a dashed line. */
export function DispatchMap({
  groups,
  drivers,
  openTaskId,
  onOpen,
  height,
  fitKey,
}: {
  /** the map zooms to the markers whenever this changes (e.g. the filters) */
  fitKey: string | undefined;
  groups: TaskGroup[];
  drivers: Worker[];
  openTaskId: string | null;
  onOpen: (taskId: string) => void;
  height: number | string;
}) {
  const tiles = useMapTiles();
  const tasks = useMemo(() => groups.flatMap((g) => g.tasks), [groups]);

  const markers = useMemo<MapMarker[]>(() => {
    const list: MapMarker[] = [];
    for (const t of tasks) {
      if (!t.destination.location) continue;
      const kind = taskKind(t);
      const status = TASK_STATUS[taskStatusKey(t)].label.toLowerCase();
      list.push({
        id: t.id,
        position: t.destination.location,
        color: STATE_COLOR[taskStatusKey(t)],
        label: kind === 'Pickup' ? 'P' : kind === 'Dropoff' ? 'D' : 'T',
        title: `${kind} ${t.shortId}, ${status}: ${addressText(t.destination.address)}`,
        selected: t.id === openTaskId,
      });
    }
    for (const w of drivers) {
      if (!w.onDuty || !w.location) continue;
      list.push({
        id: `driver:${w.id}`,
        position: w.location,
        color: DRIVER_COLOR,
        label: initials(w.name),
        shape: 'square',
        title: `Driver ${w.name} (on duty)`,
      });
    }
    return list;
  }, [tasks, drivers, openTaskId]);

  const lines = useMemo<MapLine[]>(() => {
    const out: MapLine[] = [];
    for (const g of groups) {
      const pickup = g.tasks.find((t) => t.pickupTask && t.destination.location && t.state !== 3);
      const dropoff = g.tasks.find((t) => !t.pickupTask && t.destination.location && t.state !== 3);
      if (g.orderShortId && pickup && dropoff) {
        out.push({ id: g.key, positions: [pickup.destination.location!, dropoff.destination.location!], color: '#495057', dashed: true });
      }
    }
    return out;
  }, [groups]);

  const located = tasks.filter((t) => t.destination.location).length;

  return (
    <Box>
      <LeafletMap
        markers={markers}
        lines={lines}
        tiles={tiles}
        label="Map of the listed tasks and the drivers on duty"
        height={height}
        onMarkerClick={(id) => (id.startsWith('driver:') ? undefined : onOpen(id))}
        focusId={openTaskId}
        fitKey={fitKey}
      />
      <Group gap="md" mt={6} wrap="wrap" aria-label="Map legend" role="group">
        {LEGEND.map((k) => (
          <Legend key={k} color={STATE_COLOR[k]} label={TASK_STATUS[k].label} />
        ))}
        <Legend color={DRIVER_COLOR} label="Driver" square />
        {tasks.length > located ? (
          <Text size="xs" c="dimmed">
            {tasks.length - located} without coordinates
          </Text>
        ) : null}
      </Group>
    </Box>
  );
}

function Legend({ color, label, square }: { color: string; label: string; square?: boolean }) {
  return (
    <Group gap={4} wrap="nowrap">
      <Box w={10} h={10} bg={color} style={{ borderRadius: square ? 2 : '50%' }} aria-hidden />
      <Text size="xs" c="dimmed">
        {label}
      </Text>
    </Group>
  );
}
