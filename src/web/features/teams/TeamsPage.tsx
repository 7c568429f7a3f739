import { ActionIcon, Anchor, Button, Group, Menu, Modal, Paper, Stack, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { IconDots, IconPencil, IconPlus, IconTrash, IconUsersGroup } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { paths } from '../../../shared/paths.ts';
import { confirmAction } from '../../components/confirm.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { FormAlert } from '../../components/FormAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { isBlank, useFormState } from '../../lib/form.ts';
import { useFormatters } from '../../lib/format.ts';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import { teamsQuery, workersQuery } from '../../lib/queries.ts';
import { usePermissions } from '../../lib/session.tsx';
import type { Team, Worker } from '../../lib/types.ts';
import { useCreateTeam } from './api/create-team.ts';
import { useDeleteTeam } from './api/delete-team.ts';
import { useUpdateTeam } from './api/update-team.ts';

type Dialog = { kind: 'create' } | { kind: 'rename'; team: Team } | { kind: 'drivers'; team: Team } | null;

export function TeamsPage() {
  const teams = useQuery(teamsQuery);
  const workers = useQuery(workersQuery);
  // Creating, renaming and deleting teams is for administrators (as in Onfleet).
  const { canAdminister: canWrite } = usePermissions();
  const [dialog, setDialog] = useState<Dialog>(null);
  const close = () => setDialog(null);

  const createButton = canWrite ? (
    <Button leftSection={<IconPlus size={18} aria-hidden />} onClick={() => setDialog({ kind: 'create' })}>
      Create team
    </Button>
  ) : null;

  return (
    <>
      <PageHeader title="Teams" description="Group your drivers, for example by area or shift." actions={createButton} />
      <QueryState
        query={teams}
        loadingLabel="Loading teams…"
        errorTitle="Could not load teams"
        isEmpty={(data) => data.length === 0}
        empty={
          <EmptyState icon={<IconUsersGroup size={28} aria-hidden />} title="No teams yet" action={createButton}>
            Every driver belongs to at least one team. Create your first team, then add drivers to it.
          </EmptyState>
        }
      >
        {(data) => <TeamsTable teams={data} workers={workers.data} onOpen={setDialog} canWrite={canWrite} />}
      </QueryState>

      {dialog?.kind === 'create' || dialog?.kind === 'rename' ? (
        <TeamNameModal opened team={dialog.kind === 'rename' ? dialog.team : null} onClose={close} />
      ) : null}
      <TeamDriversModal team={dialog?.kind === 'drivers' ? dialog.team : null} workers={workers.data} onClose={close} />
    </>
  );
}

function TeamsTable({
  teams,
  workers,
  onOpen,
  canWrite,
}: {
  teams: Team[];
  workers: Worker[] | undefined;
  onOpen: (d: Dialog) => void;
  canWrite: boolean;
}) {
  const fmt = useFormatters();
  const deleteTeam = useDeleteTeam();
  const names = new Map((workers ?? []).map((w) => [w.id, w.name]));
  const sorted = [...teams].sort((a, b) => a.name.localeCompare(b.name));

  const onDelete = (team: Team) =>
    confirmAction({
      title: `Delete ${team.name}?`,
      message:
        team.workers.length > 0
          ? `${team.name} still has drivers. Move them to another team first, or the server will refuse.`
          : `${team.name} will be deleted. This cannot be undone.`,
      confirmLabel: 'Delete team',
      onConfirm: () =>
        deleteTeam.mutate(team.id, {
          onSuccess: () => notifySuccess(`${team.name} was deleted.`),
          onError: (e) => notifyError(e, `Could not delete ${team.name}`),
        }),
    });

  return (
    <Paper radius="md">
      <Table.ScrollContainer minWidth={560}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Name</Table.Th>
              <Table.Th scope="col">Drivers</Table.Th>
              <Table.Th scope="col">Created</Table.Th>
              {canWrite ? (
                <Table.Th scope="col" w={60}>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              ) : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sorted.map((team) => {
              const driverNames = team.workers.map((id) => names.get(id) ?? (workers ? 'Unknown driver' : '…'));
              return (
                <Table.Tr key={team.id}>
                  <Table.Td>
                    <Anchor component="button" type="button" fw={600} onClick={() => onOpen({ kind: 'drivers', team })}>
                      {team.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    {driverNames.length ? (
                      <Text size="sm" lineClamp={2}>
                        {driverNames.join(', ')}
                      </Text>
                    ) : (
                      <Text size="sm" c="dimmed">
                        No drivers
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{fmt.date(team.timeCreated)}</Text>
                  </Table.Td>
                  {canWrite ? (
                    <Table.Td>
                      <Menu position="bottom-end" withinPortal>
                        <Menu.Target>
                          <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${team.name}`}>
                            <IconDots size={18} aria-hidden />
                          </ActionIcon>
                        </Menu.Target>
                        <Menu.Dropdown>
                          <Menu.Item leftSection={<IconPencil size={16} aria-hidden />} onClick={() => onOpen({ kind: 'rename', team })}>
                            Rename
                          </Menu.Item>
                          <Menu.Item color="red" leftSection={<IconTrash size={16} aria-hidden />} onClick={() => onDelete(team)}>
                            Delete
                          </Menu.Item>
                        </Menu.Dropdown>
                      </Menu>
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

function TeamNameModal({ opened, team, onClose }: { opened: boolean; team: Team | null; onClose: () => void }) {
  const create = useCreateTeam();
  const update = useUpdateTeam();
  const form = useFormState({ name: team?.name ?? '' });
  const pending = create.isPending || update.isPending;

  const handleClose = () => {
    form.reset({ name: team?.name ?? '' });
    onClose();
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const name = form.values.name.trim();
    if (isBlank(name)) {
      form.setErrors({ name: 'Enter a name for the team.' });
      return;
    }
    const onError = (error: unknown) => {
      form.showServerError(error);
      notifyError(error, team ? 'Could not rename the team' : 'Could not create the team');
    };
    if (team) {
      update.mutate(
        { id: team.id, name },
        {
          onSuccess: () => {
            notifySuccess(`The team is now called ${name}.`);
            handleClose();
          },
          onError,
        },
      );
    } else {
      create.mutate(
        { name },
        {
          onSuccess: () => {
            notifySuccess(`${name} was created.`);
            form.reset({ name: '' });
            onClose();
          },
          onError,
        },
      );
    }
  };

  return (
    <Modal opened={opened} onClose={handleClose} title={team ? `Rename ${team.name}` : 'Create team'}>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <FormAlert message={form.formError} />
          <TextInput
            label="Team name"
            withAsterisk
            placeholder="e.g. Downtown"
            value={form.values.name}
            onChange={(e) => form.setField('name', e.currentTarget.value)}
            error={form.errors.name}
            data-autofocus
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={handleClose}>
              Cancel
            </Button>
            <Button type="submit" loading={pending}>
              {team ? 'Save' : 'Create team'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function TeamDriversModal({ team, workers, onClose }: { team: Team | null; workers: Worker[] | undefined; onClose: () => void }) {
  const members = team ? (workers ?? []).filter((w) => w.teams.includes(team.id) || team.workers.includes(w.id)) : [];
  return (
    <Modal opened={team !== null} onClose={onClose} title={team ? `Drivers in ${team.name}` : ''}>
      {team ? (
        <Stack gap="md">
          {!workers ? (
            <Text c="dimmed">Loading drivers…</Text>
          ) : members.length === 0 ? (
            <Text c="dimmed">This team has no drivers yet.</Text>
          ) : (
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Name</Table.Th>
                  <Table.Th scope="col">Phone</Table.Th>
                  <Table.Th scope="col">Status</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {members.map((w) => (
                  <Table.Tr key={w.id}>
                    <Table.Td>{w.name}</Table.Td>
                    <Table.Td>{w.phone}</Table.Td>
                    <Table.Td>{w.onDuty ? 'On duty' : 'Off duty'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          <Group justify="flex-end">
            <Button component={Link} to={paths.drivers(team.id)} variant="light">
              Open in Drivers
            </Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}
