import { ActionIcon, Badge, Button, Group, Menu, Paper, Select, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconDots, IconFilterOff, IconPencil, IconPlus, IconSteeringWheel, IconTrash } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { confirmAction } from '../../components/confirm.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import { teamsQuery, workersQuery } from '../../lib/queries.ts';
import { usePermissions } from '../../lib/session.tsx';
import type { Team, Worker } from '../../lib/types.ts';
import { useDeleteWorker } from './api/delete-worker.ts';
import { DriverFormModal, VEHICLE_TYPES } from './DriverFormModal.tsx';

const ALL = 'all';

type Dialog = { kind: 'create' } | { kind: 'edit'; worker: Worker } | null;

export function DriversPage() {
  const workers = useQuery(workersQuery);
  const teams = useQuery(teamsQuery);
  const { canWrite } = usePermissions();
  const [params, setParams] = useSearchParams();
  const [dialog, setDialog] = useState<Dialog>(null);
  const teamFilter = params.get('team');
  const teamList = teams.data ?? [];
  const filterIsKnown = !teamFilter || teamList.some((t) => t.id === teamFilter);

  const setTeamFilter = (team: string | null) => {
    const next = new URLSearchParams(params);
    if (team && team !== ALL) next.set('team', team);
    else next.delete('team');
    setParams(next, { replace: true });
  };

  const addButton = canWrite ? (
    <Button leftSection={<IconPlus size={18} aria-hidden />} onClick={() => setDialog({ kind: 'create' })} disabled={teams.isPending}>
      Add driver
    </Button>
  ) : null;

  return (
    <>
      <PageHeader title="Drivers" description="The people who carry your deliveries." actions={addButton} />
      <QueryState
        query={workers}
        loadingLabel="Loading drivers…"
        errorTitle="Could not load drivers"
        isEmpty={(data) => data.length === 0}
        empty={
          <EmptyState icon={<IconSteeringWheel size={28} aria-hidden />} title="No drivers yet" action={addButton}>
            Add your drivers with their mobile number and put each of them in a team.
          </EmptyState>
        }
      >
        {(data) => {
          const shown = teamFilter ? data.filter((w) => w.teams.includes(teamFilter)) : data;
          return (
            <Stack gap="md">
              <Group gap="sm" align="flex-end">
                <Select
                  label="Team"
                  w={260}
                  data={[{ value: ALL, label: 'All teams' }, ...teamList.map((t) => ({ value: t.id, label: t.name }))]}
                  value={teamFilter && filterIsKnown ? teamFilter : ALL}
                  onChange={setTeamFilter}
                  allowDeselect={false}
                  disabled={teams.isPending}
                />
                <Text size="sm" c="dimmed" pb={8} aria-live="polite">
                  {shown.length === data.length
                    ? `${data.length} ${data.length === 1 ? 'driver' : 'drivers'}`
                    : `${shown.length} of ${data.length} drivers`}
                </Text>
              </Group>
              {shown.length === 0 ? (
                <EmptyState
                  title="No drivers in this team"
                  action={
                    <Button variant="light" leftSection={<IconFilterOff size={16} aria-hidden />} onClick={() => setTeamFilter(null)}>
                      Show all teams
                    </Button>
                  }
                />
              ) : (
                <DriversTable workers={shown} teams={teamList} canWrite={canWrite} onEdit={(worker) => setDialog({ kind: 'edit', worker })} />
              )}
            </Stack>
          );
        }}
      </QueryState>

      {dialog ? (
        <DriverFormModal
          opened
          worker={dialog.kind === 'edit' ? dialog.worker : null}
          teams={teamList}
          defaultTeam={teamFilter && filterIsKnown ? teamFilter : teamList.length === 1 ? teamList[0].id : null}
          onClose={() => setDialog(null)}
        />
      ) : null}
    </>
  );
}

function vehicleText(worker: Worker): string {
  const v = worker.vehicle;
  if (!v) return '—';
  const type = VEHICLE_TYPES.find((t) => t.value === v.type)?.label ?? v.type;
  return [type, v.description, v.color, v.licensePlate].filter(Boolean).join(' · ');
}

function DriversTable({
  workers,
  teams,
  canWrite,
  onEdit,
}: {
  workers: Worker[];
  teams: Team[];
  canWrite: boolean;
  onEdit: (w: Worker) => void;
}) {
  const deleteWorker = useDeleteWorker();
  const teamNames = new Map(teams.map((t) => [t.id, t.name]));
  const sorted = [...workers].sort((a, b) => a.name.localeCompare(b.name));

  const onDelete = (worker: Worker) =>
    confirmAction({
      title: `Delete ${worker.name}?`,
      message: `${worker.name} will be removed from all teams and can no longer sign in to the driver app.`,
      confirmLabel: 'Delete driver',
      onConfirm: () =>
        deleteWorker.mutate(worker.id, {
          onSuccess: () => notifySuccess(`${worker.name} was deleted.`),
          onError: (e) => notifyError(e, `Could not delete ${worker.name}`),
        }),
    });

  return (
    <Paper radius="md">
      <Table.ScrollContainer minWidth={820}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Name</Table.Th>
              <Table.Th scope="col">Phone</Table.Th>
              <Table.Th scope="col">Teams</Table.Th>
              <Table.Th scope="col">Vehicle</Table.Th>
              <Table.Th scope="col">Capacity</Table.Th>
              <Table.Th scope="col">Status</Table.Th>
              {canWrite ? (
                <Table.Th scope="col" w={60}>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              ) : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sorted.map((w) => (
              <Table.Tr key={w.id}>
                <Table.Td>
                  <Text fw={600} size="sm">
                    {w.name}
                  </Text>
                  {w.email ? (
                    <Text size="xs" c="dimmed">
                      {w.email}
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td>
                  <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                    {w.phone}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {w.teams.map((id) => (
                      <Badge key={id} variant="light" color="gray" tt="none" fw={500}>
                        {teamNames.get(id) ?? 'Unknown team'}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{vehicleText(w)}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{w.capacity ?? '—'}</Text>
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={w.onDuty ? 'green' : 'gray'} tt="none">
                    {w.onDuty ? 'On duty' : 'Off duty'}
                  </Badge>
                </Table.Td>
                {canWrite ? (
                  <Table.Td>
                    <Menu position="bottom-end">
                      <Menu.Target>
                        <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${w.name}`}>
                          <IconDots size={18} aria-hidden />
                        </ActionIcon>
                      </Menu.Target>
                      <Menu.Dropdown>
                        <Menu.Item leftSection={<IconPencil size={16} aria-hidden />} onClick={() => onEdit(w)}>
                          Edit
                        </Menu.Item>
                        <Menu.Item color="red" leftSection={<IconTrash size={16} aria-hidden />} onClick={() => onDelete(w)}>
                          Delete
                        </Menu.Item>
                      </Menu.Dropdown>
                    </Menu>
                  </Table.Td>
                ) : null}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
