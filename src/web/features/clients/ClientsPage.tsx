import {
  ActionIcon,
  Anchor,
  Box,
  Button,
  Center,
  Group,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconBuildingStore, IconFilterOff, IconPencil, IconPlus, IconSearch, IconSend, IconTrash, IconX } from '@tabler/icons-react';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { paths } from '../../../shared/paths.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useFormatters } from '../../lib/format.ts';
import { teamsQuery } from '../../lib/queries.ts';
import { usePermissions } from '../../lib/session.tsx';
import type { Client, ClientStatus, Team } from '../../lib/types.ts';
import { clientsQuery } from './api/clients.ts';
import { ClientEmail, ClientStatusBadge, CLIENT_STATUS, CLIENT_STATUSES, inviteLabel, useClientActions } from './client-ui.tsx';
import { CreateClientModal, EditClientModal } from './ClientFormModal.tsx';

const ALL = 'all';

function parseStatus(value: string | null): ClientStatus | null {
  return CLIENT_STATUSES.includes(value as ClientStatus) ? (value as ClientStatus) : null;
}

type Dialog = { kind: 'create' } | { kind: 'edit'; client: Client } | null;

export function ClientsPage() {
  const { canAdminister } = usePermissions();
  const [params, setParams] = useSearchParams();
  const status = parseStatus(params.get('status'));
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [q] = useDebouncedValue(search.trim(), 300);
  const clients = useInfiniteQuery({ ...clientsQuery({ status, q }), placeholderData: keepPreviousData });
  const teams = useQuery(teamsQuery);
  const [dialog, setDialog] = useState<Dialog>(null);
  const statusLabelId = useId();
  // Here rather than in the table, which unmounts when the last matching client leaves the list.
  const actions = useClientActions();

  // The filters live in the address, so that going back to the list keeps them.
  useEffect(() => {
    if ((params.get('q') ?? '') === q) return;
    const next = new URLSearchParams(params);
    if (q) next.set('q', q);
    else next.delete('q');
    setParams(next, { replace: true });
  }, [q, params, setParams]);

  const setStatus = (value: string) => {
    const next = new URLSearchParams(params);
    if (value === ALL) next.delete('status');
    else next.set('status', value);
    setParams(next, { replace: true });
  };

  const clearFilters = () => {
    setSearch('');
    setStatus(ALL);
  };

  const filtered = status !== null || q !== '';
  const list = clients.data?.pages.flatMap((p) => p.clients);

  const inviteButton = canAdminister ? (
    <Button leftSection={<IconPlus size={18} aria-hidden />} onClick={() => setDialog({ kind: 'create' })}>
      Invite Client
    </Button>
  ) : null;

  return (
    <>
      <PageHeader
        title="Clients"
        description="The businesses you deliver for. Each one sends you orders from its own client portal."
        actions={inviteButton}
      />
      <Stack gap="md">
        <Group gap="md" align="flex-end" wrap="wrap">
          <Stack gap={4}>
            <Text size="sm" fw={500} id={statusLabelId}>
              Status
            </Text>
            <SegmentedControl
              aria-labelledby={statusLabelId}
              value={status ?? ALL}
              onChange={setStatus}
              data={[{ value: ALL, label: 'All' }, ...CLIENT_STATUSES.map((s) => ({ value: s, label: CLIENT_STATUS[s].label }))]}
            />
          </Stack>
          <TextInput
            label="Search"
            placeholder="Name or email"
            type="search"
            leftSection={<IconSearch size={16} aria-hidden />}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            w={{ base: '100%', xs: 300 }}
            rightSection={
              search ? (
                <ActionIcon variant="subtle" color="gray" size="sm" aria-label="Clear the search" onClick={() => setSearch('')}>
                  <IconX size={14} aria-hidden />
                </ActionIcon>
              ) : null
            }
          />
        </Group>

        <QueryState
          query={{ ...clients, data: list }}
          loadingLabel="Loading clients…"
          errorTitle="Could not load clients"
          isEmpty={(data) => data.length === 0}
          empty={
            filtered ? (
              <EmptyState
                icon={<IconSearch size={28} aria-hidden />}
                title="No clients match"
                action={
                  <Button variant="light" leftSection={<IconFilterOff size={16} aria-hidden />} onClick={clearFilters}>
                    Show all clients
                  </Button>
                }
              >
                {status ? `No ${CLIENT_STATUS[status].label.toLowerCase()} client` : 'No client'}
                {q ? ` matches “${q}”.` : ' right now.'}
              </EmptyState>
            ) : (
              <EmptyState icon={<IconBuildingStore size={28} aria-hidden />} title="No clients yet" action={inviteButton}>
                Invite the businesses you deliver for. Each client gets its own portal where it creates orders, which
                arrive on your dashboard ready to dispatch.
              </EmptyState>
            )
          }
        >
          {(data) => (
            <Stack gap="md">
              <ClientsTable
                clients={data}
                teams={teams.data}
                canAdminister={canAdminister}
                actions={actions}
                onEdit={(client) => setDialog({ kind: 'edit', client })}
                busy={clients.isPlaceholderData}
              />
              {clients.hasNextPage ? (
                <Center>
                  <Button variant="default" loading={clients.isFetchingNextPage} onClick={() => void clients.fetchNextPage()}>
                    Load more
                  </Button>
                </Center>
              ) : null}
            </Stack>
          )}
        </QueryState>
      </Stack>

      {dialog?.kind === 'create' ? <CreateClientModal onClose={() => setDialog(null)} /> : null}
      {dialog?.kind === 'edit' ? <EditClientModal client={dialog.client} onClose={() => setDialog(null)} /> : null}
    </>
  );
}

function ClientsTable({
  clients,
  teams,
  canAdminister,
  actions,
  onEdit,
  busy,
}: {
  clients: Client[];
  teams: Team[] | undefined;
  canAdminister: boolean;
  actions: ReturnType<typeof useClientActions>;
  onEdit: (client: Client) => void;
  busy: boolean;
}) {
  const fmt = useFormatters();
  const { sendInvitation, deleteClient, inviting } = actions;
  const teamNames = new Map((teams ?? []).map((t) => [t.id, t.name]));

  return (
    <Paper radius="md" style={{ opacity: busy ? 0.6 : 1, transition: 'opacity 150ms' }} aria-busy={busy}>
      <Table.ScrollContainer minWidth={860}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Name</Table.Th>
              <Table.Th scope="col">Email</Table.Th>
              <Table.Th scope="col">Status</Table.Th>
              <Table.Th scope="col">Auto-assign team</Table.Th>
              <Table.Th scope="col" ta="right">
                Orders
              </Table.Th>
              <Table.Th scope="col">Created</Table.Th>
              {canAdminister ? (
                <Table.Th scope="col" w={132}>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              ) : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {clients.map((client) => {
              const invite = inviteLabel(client);
              const team = client.autoAssign.team;
              return (
                <Table.Tr key={client.id}>
                  <Table.Td>
                    <Anchor component={Link} to={paths.client(client.id)} fw={600} size="sm">
                      {client.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <ClientEmail client={client} />
                  </Table.Td>
                  <Table.Td>
                    <ClientStatusBadge status={client.status} />
                  </Table.Td>
                  <Table.Td>
                    {team ? (
                      <Text size="sm">{teamNames.get(team) ?? (teams ? 'Unknown team' : '…')}</Text>
                    ) : (
                      <Text size="sm" c="dimmed">
                        Off
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ta="right">
                    <Text size="sm">{client.orderCount}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" title={fmt.dateTime(client.timeCreated)} style={{ whiteSpace: 'nowrap' }}>
                      {fmt.date(client.timeCreated)}
                    </Text>
                  </Table.Td>
                  {canAdminister ? (
                    <Table.Td>
                      {client.status === 'deleted' ? (
                        <Text size="xs" c="dimmed">
                          Read-only
                        </Text>
                      ) : (
                        <Group gap={4} wrap="nowrap">
                          <Tooltip label="Edit" withArrow>
                            <ActionIcon variant="subtle" color="gray" aria-label={`Edit ${client.name}`} onClick={() => onEdit(client)}>
                              <IconPencil size={18} aria-hidden />
                            </ActionIcon>
                          </Tooltip>
                          {invite ? (
                            <Tooltip label={invite} withArrow>
                              <ActionIcon
                                variant="subtle"
                                color="gray"
                                aria-label={client.status === 'invited' ? `Resend the invitation to ${client.name}` : `Invite ${client.name}`}
                                loading={inviting === client.id}
                                onClick={() => sendInvitation(client)}
                              >
                                <IconSend size={18} aria-hidden />
                              </ActionIcon>
                            </Tooltip>
                          ) : (
                            // keeps the delete button in line with the rows above and below
                            <Box w={28} aria-hidden />
                          )}
                          <Tooltip label="Delete" withArrow>
                            <ActionIcon variant="subtle" color="red" aria-label={`Delete ${client.name}`} onClick={() => deleteClient(client)}>
                              <IconTrash size={18} aria-hidden />
                            </ActionIcon>
                          </Tooltip>
                        </Group>
                      )}
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
