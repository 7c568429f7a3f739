import {
  Alert,
  Anchor,
  Badge,
  Button,
  Center,
  Code,
  Grid,
  Group,
  Paper,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import { IconArrowLeft, IconBuildingStore, IconFileImport, IconHistory, IconInfoCircle, IconPackage, IconPencil, IconSend, IconTrash } from '@tabler/icons-react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { paths } from '../../../shared/paths.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { isApiError } from '../../lib/api.ts';
import { useFormatters, type Formatters } from '../../lib/format.ts';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import { teamsQuery } from '../../lib/queries.ts';
import { usePermissions } from '../../lib/session.tsx';
import type { Client, Team } from '../../lib/types.ts';
import { adminsQuery } from '../settings/api/admins.ts';
import { clientAuditQuery, clientQuery, useUpdateClient } from './api/clients.ts';
import { clientOrdersQuery, type ClientOrder, type OrderStatus } from './api/client-orders.ts';
import { describeAuditEntry } from './audit-text.ts';
import { ClientEmail, ClientStatusBadge, CLIENT_STATUS, inviteLabel, useClientActions } from './client-ui.tsx';
import { EditClientModal } from './ClientFormModal.tsx';

function BackLink() {
  return (
    <Anchor component={Link} to={paths.clients()} size="sm" mb="xs" display="inline-flex" style={{ alignItems: 'center', gap: 4 }}>
      <IconArrowLeft size={14} aria-hidden />
      All clients
    </Anchor>
  );
}

/** /clients/:id — one client: its details, invitation, automatic assignment, orders and activity. */
export function ClientDetailPage() {
  const { id = '' } = useParams();
  const client = useQuery(clientQuery(id));

  if (client.isError && (isApiError(client.error, 404) || isApiError(client.error, 400))) {
    return (
      <>
        <BackLink />
        <EmptyState
          icon={<IconBuildingStore size={28} aria-hidden />}
          title="Client not found"
          action={
            <Button component={Link} to={paths.clients()} variant="light">
              Go to the clients
            </Button>
          }
        >
          There is no client at this address. It may be a mistyped link.
        </EmptyState>
      </>
    );
  }

  return (
    <>
      <BackLink />
      <QueryState query={client} loadingLabel="Loading the client…" errorTitle="Could not load the client">
        {(data) => <ClientView client={data} />}
      </QueryState>
    </>
  );
}

function ClientView({ client }: { client: Client }) {
  const fmt = useFormatters();
  const { canAdminister } = usePermissions();
  const { deleteClient } = useClientActions();
  const [editing, setEditing] = useState(false);
  const deleted = client.status === 'deleted';
  const editable = canAdminister && !deleted;

  return (
    <>
      <PageHeader
        title={client.name}
        description={`Client since ${fmt.date(client.timeCreated)}`}
        actions={
          editable ? (
            <>
              <Button variant="default" leftSection={<IconPencil size={16} aria-hidden />} onClick={() => setEditing(true)}>
                Edit
              </Button>
              <Button variant="light" color="red" leftSection={<IconTrash size={16} aria-hidden />} onClick={() => deleteClient(client)}>
                Delete
              </Button>
            </>
          ) : null
        }
      />
      <Stack gap="lg">
        {deleted ? (
          <Alert color="gray" variant="light" icon={<IconInfoCircle aria-hidden />} title="This client was deleted">
            {client.name} was deleted {client.timeDeleted ? `on ${fmt.dateTime(client.timeDeleted)}` : ''} and can no longer
            sign in. Its orders stay in your account. This page is read-only.
          </Alert>
        ) : null}
        <Grid gutter="lg">
          <Grid.Col span={{ base: 12, md: 7 }}>
            <DetailsCard client={client} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Stack gap="lg">
              <InvitationCard client={client} canAdminister={canAdminister} />
              <AutoAssignCard client={client} editable={editable} />
            </Stack>
          </Grid.Col>
        </Grid>
        <OrdersCard client={client} />
        <ActivityCard client={client} />
      </Stack>
      {editing ? <EditClientModal client={client} onClose={() => setEditing(false)} /> : null}
    </>
  );
}

function Section({ title, id, children, action }: { title: string; id: string; children: ReactNode; action?: ReactNode }) {
  return (
    <Paper p="lg" radius="md" component="section" aria-labelledby={id} h="100%">
      <Stack gap="md">
        <Group justify="space-between" align="center" gap="sm">
          <Title order={2} fz="lg" id={id}>
            {title}
          </Title>
          {action}
        </Group>
        {children}
      </Stack>
    </Paper>
  );
}

function When({ ms, fmt }: { ms: number; fmt: Formatters }) {
  return (
    <Text size="sm" span title={fmt.dateTime(ms)}>
      {fmt.dateTime(ms)}{' '}
      <Text span size="sm" c="dimmed">
        ({fmt.relative(ms)})
      </Text>
    </Text>
  );
}

function DetailsCard({ client }: { client: Client }) {
  const fmt = useFormatters();
  const rows: [string, ReactNode][] = [
    [
      'Status',
      <Group gap="xs" key="status">
        <ClientStatusBadge status={client.status} />
        <Text size="sm" c="dimmed">
          {CLIENT_STATUS[client.status]?.meaning}
        </Text>
      </Group>,
    ],
    ['Email', <ClientEmail key="email" client={client} />],
    ['Invited', client.timeInvited ? <When ms={client.timeInvited} fmt={fmt} /> : <Text size="sm" c="dimmed">Not yet</Text>],
  ];
  if (client.invitationExpiresAt) rows.push(['Invitation expires', <When key="exp" ms={client.invitationExpiresAt} fmt={fmt} />]);
  rows.push(['Accepted', client.timeAccepted ? <When ms={client.timeAccepted} fmt={fmt} /> : <Text size="sm" c="dimmed">Not yet</Text>]);
  if (client.timeDeleted) rows.push(['Deleted', <When key="del" ms={client.timeDeleted} fmt={fmt} />]);
  rows.push(['Created', <When key="created" ms={client.timeCreated} fmt={fmt} />]);

  return (
    <Section title="Details" id="client-details-title">
      {client.pendingEmail ? (
        <Alert color="orange" variant="light" icon={<IconInfoCircle aria-hidden />} title="Email awaiting confirmation">
          A confirmation link was sent to {client.pendingEmail}. {client.email} stays in use until the client follows it.
        </Alert>
      ) : null}
      <Table variant="vertical" withRowBorders={false} verticalSpacing={6} highlightOnHover={false} layout="fixed">
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th w={150} fw={500} c="dimmed" bg="transparent" fz="sm">
                {label}
              </Table.Th>
              <Table.Td>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Section>
  );
}

function InvitationCard({ client, canAdminister }: { client: Client; canAdminister: boolean }) {
  const fmt = useFormatters();
  const { sendInvitation, inviting } = useClientActions();
  const label = inviteLabel(client);

  let text: ReactNode;
  switch (client.status) {
    case 'pending':
      text = `${client.name} has not been invited yet. Set it up, then send the invitation: it goes to ${client.email} and works once, for 7 days.`;
      break;
    case 'invited':
      text = (
        <>
          Sent{' '}
          <Text span fw={600} size="sm" title={client.timeInvited ? fmt.dateTime(client.timeInvited) : undefined}>
            {client.timeInvited ? fmt.relative(client.timeInvited) : ''}
          </Text>{' '}
          to {client.email}
          {client.invitationExpiresAt
            ? client.invitationExpiresAt > Date.now()
              ? `; the link expires ${fmt.relative(client.invitationExpiresAt)}.`
              : '; the link has expired. Send a new one.'
            : '.'}{' '}
          Sending it again makes the earlier link stop working.
        </>
      );
      break;
    case 'active':
      text = `${client.name} accepted the invitation${client.timeAccepted ? ` ${fmt.relative(client.timeAccepted)}` : ''} and signs in to its client portal.`;
      break;
    default:
      text = 'A deleted client cannot be invited again. Create it anew to work with it again.';
  }

  return (
    <Section title="Invitation" id="client-invitation-title">
      <Text size="sm">{text}</Text>
      {label && canAdminister ? (
        <Group>
          <Button
            leftSection={<IconSend size={16} aria-hidden />}
            variant={client.status === 'invited' ? 'light' : 'filled'}
            loading={inviting === client.id}
            onClick={() => sendInvitation(client)}
          >
            {label}
          </Button>
        </Group>
      ) : null}
    </Section>
  );
}

function AutoAssignCard({ client, editable }: { client: Client; editable: boolean }) {
  const teams = useQuery(teamsQuery);
  const update = useUpdateClient();
  const [enabled, setEnabled] = useState(client.autoAssign.team !== null);
  const [team, setTeam] = useState<string | null>(client.autoAssign.team);
  const [error, setError] = useState<string | null>(null);
  const list: Team[] = [...(teams.data ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  const wanted = enabled ? team : null;
  const dirty = wanted !== client.autoAssign.team || (enabled && team === null);
  const teamName = (teamId: string | null) => list.find((t) => t.id === teamId)?.name ?? 'the team';

  const save = () => {
    if (enabled && !team) {
      setError('Choose the team that gets this client’s orders.');
      return;
    }
    setError(null);
    update.mutate(
      { id: client.id, autoAssign: { team: wanted } },
      {
        onSuccess: (c) => {
          setEnabled(c.autoAssign.team !== null);
          setTeam(c.autoAssign.team);
          notifySuccess(
            c.autoAssign.team
              ? `New orders from ${c.name} go to ${teamName(c.autoAssign.team)} automatically.`
              : `New orders from ${c.name} are no longer assigned to a team automatically.`,
            'Automatic assignment saved',
          );
        },
        onError: (e) => {
          if (isApiError(e) && e.fieldProblems.some((p) => p.field.startsWith('autoAssign'))) setError(e.message);
          notifyError(e, 'Could not save the automatic assignment');
        },
      },
    );
  };

  return (
    <Section title="Automatic assignment" id="client-autoassign-title">
      <Switch
        label="Automatically assign orders for this client to a team"
        description="New orders go straight to the team instead of waiting unassigned"
        checked={enabled}
        onChange={(e) => {
          setEnabled(e.currentTarget.checked);
          setError(null);
        }}
        disabled={!editable}
      />
      {enabled ? (
        teams.isError ? (
          <Alert color="red" variant="light" title="Could not load the teams">
            Reload the page to choose a team.
          </Alert>
        ) : !teams.isPending && list.length === 0 ? (
          <Alert color="blue" variant="light" icon={<IconInfoCircle aria-hidden />} title="No teams yet">
            <Anchor component={Link} to={paths.teams()} size="sm" underline="always">
              Create a team
            </Anchor>{' '}
            first, then come back to choose it.
          </Alert>
        ) : (
          <Select
            label="Team"
            placeholder={teams.isPending ? 'Loading teams…' : 'Choose a team'}
            data={list.map((t) => ({ value: t.id, label: t.name }))}
            value={team}
            onChange={(v) => {
              setTeam(v);
              setError(null);
            }}
            error={error}
            disabled={!editable || teams.isPending}
            allowDeselect={false}
            searchable={list.length > 8}
            nothingFoundMessage="No team matches"
          />
        )
      ) : null}
      {editable ? (
        <Group justify="flex-end">
          <Button onClick={save} loading={update.isPending} disabled={!dirty}>
            Save
          </Button>
        </Group>
      ) : null}
    </Section>
  );
}

const ORDER_STATUS: Record<OrderStatus, { label: string; color: string }> = {
  unassigned: { label: 'Unassigned', color: 'gray' },
  assigned: { label: 'Assigned', color: 'blue' },
  in_progress: { label: 'In progress', color: 'indigo' },
  completed: { label: 'Completed', color: 'green' },
  failed: { label: 'Failed', color: 'red' },
  cancelled: { label: 'Cancelled', color: 'dark' },
  rejected: { label: 'Rejected', color: 'orange' },
};

function addressText(order: ClientOrder): string {
  const a = order.dropoffTask?.destination?.address ?? {};
  if (a.unparsed) return a.unparsed;
  const street = [a.number, a.street].filter(Boolean).join(' ');
  return [a.name, street, a.apartment, [a.postalCode, a.city].filter(Boolean).join(' ')].filter(Boolean).join(', ') || '—';
}

function OrdersCard({ client }: { client: Client }) {
  const fmt = useFormatters();
  const { canWrite } = usePermissions();
  const orders = useInfiniteQuery(clientOrdersQuery(client.id));
  const list = orders.data?.pages.flatMap((p) => p.orders);
  const emptyText =
    client.status === 'active'
      ? `Orders ${client.name} creates in its portal appear here, and on your dashboard ready to dispatch.`
      : client.status === 'deleted'
        ? `${client.name} has no orders.`
        : `Once ${client.name} accepts the invitation, the orders it creates appear here.`;

  return (
    <Section
      title="Orders"
      id="client-orders-title"
      action={
        client.status === 'active' && canWrite ? (
          <Button
            variant="light"
            size="sm"
            component={Link}
            to={`${paths.courierImportOrders()}?client=${encodeURIComponent(client.id)}`}
            leftSection={<IconFileImport size={16} aria-hidden />}
          >
            Import orders
          </Button>
        ) : undefined
      }
    >
      <QueryState
        query={{ ...orders, data: list }}
        loadingLabel="Loading orders…"
        errorTitle="Could not load the orders"
        isEmpty={(data) => data.length === 0}
        empty={
          <EmptyState icon={<IconPackage size={28} aria-hidden />} title="No orders yet">
            {emptyText}
          </EmptyState>
        }
      >
        {(data) => (
          <Stack gap="md">
            <Table.ScrollContainer minWidth={720}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Order</Table.Th>
                    <Table.Th scope="col">Created</Table.Th>
                    <Table.Th scope="col">Dropoff address</Table.Th>
                    <Table.Th scope="col">Recipient</Table.Th>
                    <Table.Th scope="col">Status</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.map((o) => {
                    const s = ORDER_STATUS[o.status] ?? { label: o.status, color: 'gray' };
                    return (
                      <Table.Tr key={o.id}>
                        <Table.Td>
                          <Anchor component={Link} to={paths.courierOrder(o.shortId)} size="sm" aria-label={`Order ${o.shortId}`}>
                            <Code fz="sm">{o.shortId}</Code>
                          </Anchor>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                            {fmt.dateTime(o.timeCreated)}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm" lineClamp={2}>
                            {addressText(o)}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">{o.dropoffTask?.recipients?.[0]?.name ?? '—'}</Text>
                        </Table.Td>
                        <Table.Td>
                          <Badge variant="light" color={s.color} tt="none">
                            {s.label}
                          </Badge>
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {orders.hasNextPage ? (
              <Center>
                <Button variant="default" loading={orders.isFetchingNextPage} onClick={() => void orders.fetchNextPage()}>
                  Load more orders
                </Button>
              </Center>
            ) : null}
          </Stack>
        )}
      </QueryState>
    </Section>
  );
}

function ActivityCard({ client }: { client: Client }) {
  const fmt = useFormatters();
  const audit = useQuery(clientAuditQuery(client.id));
  const teams = useQuery(teamsQuery);
  const admins = useQuery(adminsQuery);
  const teamNames = new Map((teams.data ?? []).map((t) => [t.id, t.name]));
  const people = new Map((admins.data ?? []).map((a) => [a.id, a.name]));

  return (
    <Section title="Activity" id="client-activity-title">
      <QueryState
        query={audit}
        loadingLabel="Loading the activity…"
        errorTitle="Could not load the activity"
        isEmpty={(data) => data.length === 0}
        empty={
          <Text size="sm" c="dimmed">
            Nothing has happened yet.
          </Text>
        }
      >
        {(entries) => (
          <Timeline bulletSize={22} lineWidth={2} active={-1}>
            {entries.map((e) => {
              const { actor, text } = describeAuditEntry(e, {
                teamName: (teamId) => teamNames.get(teamId) ?? 'a team that no longer exists',
                personName: (personId) => people.get(personId) ?? null,
              });
              return (
                <Timeline.Item key={e.id} bullet={<IconHistory size={12} aria-hidden />}>
                  <Text size="sm">
                    <Text span fw={600} size="sm">
                      {actor}
                    </Text>{' '}
                    {text}
                  </Text>
                  <Text size="xs" c="dimmed" title={fmt.dateTime(e.time)}>
                    {fmt.dateTime(e.time)} · {fmt.relative(e.time)}
                  </Text>
                </Timeline.Item>
              );
            })}
          </Timeline>
        )}
      </QueryState>
    </Section>
  );
}
