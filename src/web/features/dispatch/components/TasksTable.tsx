import { Anchor, Badge, Checkbox, Group, Paper, Table, Text } from '@mantine/core';
import type { MouseEvent } from 'react';
import { Link } from 'react-router';
import { paths } from '../../../../shared/paths.ts';
import { useFormatters } from '../../../lib/format.ts';
import type { TaskWithEta } from '../../../lib/types.ts';
import { TaskStatusBadge } from '../../orders/components/StatusBadges.tsx';
import { addressText, taskKind } from '../../orders/lib/labels.ts';
import { shortDateTime } from '../../orders/lib/time.ts';
import { assigneeText, type Directory, type TaskGroup } from '../lib/tasks.ts';

function dueText(t: TaskWithEta, timeZone: string): { text: string; late?: boolean } {
  const at = (ms: number) => shortDateTime(ms, timeZone);
  if (t.state === 3) {
    const when = t.completionDetails.time;
    const label = t.completionDetails.success === false ? 'Failed' : 'Done';
    return { text: when ? `${label} ${at(when)}` : label };
  }
  if (t.eta) return { text: `ETA ${at(t.eta)}` };
  if (t.completeBefore) return { text: at(t.completeBefore), late: t.completeBefore < Date.now() };
  if (t.completeAfter) return { text: `from ${at(t.completeAfter)}` };
  return { text: '—' };
}

const KIND_COLOR: Record<string, string> = { Pickup: 'cyan', Dropoff: 'grape', Delivery: 'gray' };

export function TasksTable({
  groups,
  dir,
  selected,
  onSelect,
  openTaskId,
  onOpen,
  selectable,
}: {
  groups: TaskGroup[];
  dir: Directory;
  selected: Set<string>;
  onSelect: (ids: string[], checked: boolean) => void;
  openTaskId: string | null;
  onOpen: (id: string) => void;
  selectable: boolean;
}) {
  const { timeZone } = useFormatters();
  const all = groups.flatMap((g) => g.tasks.map((t) => t.id));
  const selectedCount = all.filter((id) => selected.has(id)).length;

  // A click anywhere on a row opens the task, except on its own controls.
  const onRowClick = (event: MouseEvent, id: string) => {
    if ((event.target as HTMLElement).closest('a,button,input,label')) return;
    onOpen(id);
  };

  return (
    <Paper radius="md">
      <Table.ScrollContainer minWidth={820}>
        <Table verticalSpacing="xs" horizontalSpacing="xs" fz="sm">
          <Table.Thead>
            <Table.Tr>
              {selectable ? (
                <Table.Th w={40}>
                  <Checkbox
                    aria-label="Select all shown tasks"
                    checked={all.length > 0 && selectedCount === all.length}
                    indeterminate={selectedCount > 0 && selectedCount < all.length}
                    onChange={(e) => onSelect(all, e.currentTarget.checked)}
                  />
                </Table.Th>
              ) : null}
              <Table.Th scope="col">Task</Table.Th>
              <Table.Th scope="col">Kind</Table.Th>
              <Table.Th scope="col">State</Table.Th>
              <Table.Th scope="col">Address</Table.Th>
              <Table.Th scope="col">Client</Table.Th>
              <Table.Th scope="col" style={{ whiteSpace: 'nowrap' }}>
                Driver / team
              </Table.Th>
              <Table.Th scope="col">Due</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {groups.map((g) => {
              const ids = g.tasks.map((t) => t.id);
              const n = ids.filter((id) => selected.has(id)).length;
              const client = dir.client(g.tasks[0]);
              return [
                g.orderShortId ? (
                  <Table.Tr key={`${g.key}:head`} bg="gray.0" data-order={g.orderShortId}>
                    {selectable ? (
                      <Table.Td>
                        <Checkbox
                          aria-label={`Select the tasks of order ${g.orderShortId}`}
                          checked={n === ids.length}
                          indeterminate={n > 0 && n < ids.length}
                          onChange={(e) => onSelect(ids, e.currentTarget.checked)}
                        />
                      </Table.Td>
                    ) : null}
                    <Table.Td colSpan={7}>
                      <Group gap="xs">
                        <Text size="xs" fw={700} tt="uppercase" c="dimmed">
                          Order
                        </Text>
                        <Anchor component={Link} to={paths.courierOrder(g.orderShortId)} size="sm" fw={600} ff="monospace">
                          {g.orderShortId}
                        </Anchor>
                        {client ? (
                          <Text size="sm" c="dimmed">
                            · {client}
                          </Text>
                        ) : null}
                        {g.tasks.length < 2 ? (
                          <Text size="xs" c="dimmed">
                            (its other task is not in this list)
                          </Text>
                        ) : null}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ) : null,
                ...g.tasks.map((t) => {
                  const due = dueText(t, timeZone);
                  const kind = taskKind(t);
                  const open = t.id === openTaskId;
                  return (
                    <Table.Tr
                      key={t.id}
                      data-task={t.id}
                      bg={open ? 'indigo.0' : selected.has(t.id) ? 'var(--mantine-color-indigo-light)' : undefined}
                      onClick={(e) => onRowClick(e, t.id)}
                      style={{ cursor: 'pointer' }}
                      aria-current={open ? 'true' : undefined}
                    >
                      {selectable ? (
                        <Table.Td pl={g.orderShortId ? 'md' : undefined}>
                          <Checkbox
                            aria-label={`Select ${kind.toLowerCase()} ${t.shortId}`}
                            checked={selected.has(t.id)}
                            onChange={(e) => onSelect([t.id], e.currentTarget.checked)}
                          />
                        </Table.Td>
                      ) : null}
                      <Table.Td>
                        <Anchor
                          component="button"
                          type="button"
                          size="sm"
                          fw={600}
                          ff="monospace"
                          onClick={() => onOpen(t.id)}
                          aria-label={`Open ${kind.toLowerCase()} ${t.shortId}`}
                        >
                          {t.shortId}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="outline" color={KIND_COLOR[kind]} tt="none" size="sm" style={{ minWidth: 'max-content' }}>
                          {kind}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <TaskStatusBadge task={t} size="sm" />
                      </Table.Td>
                      <Table.Td miw={160} maw={220}>
                        <Text size="sm" lineClamp={2}>
                          {addressText(t.destination.address)}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" c={dir.client(t) ? undefined : 'dimmed'}>
                          {dir.client(t) ?? '—'}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" c={t.worker || t.container.type === 'TEAM' ? undefined : 'dimmed'}>
                          {assigneeText(t, dir)}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" style={{ whiteSpace: 'nowrap' }} c={due.late ? 'red.8' : undefined}>
                          {due.text}
                          {due.late ? ' · late' : ''}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  );
                }),
              ];
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
