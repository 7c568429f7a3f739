import {
  Alert,
  Anchor,
  Badge,
  Button,
  Center,
  Code,
  Collapse,
  Drawer,
  Grid,
  Group,
  Loader,
  Paper,
  Stack,
  Table,
  Text,
  Tooltip,
} from '@mantine/core';
import { useInterval } from '@mantine/hooks';
import { IconAlertTriangle, IconChevronDown, IconHistory, IconInfoCircle, IconPower, IconSend } from '@tabler/icons-react';
import { useInfiniteQuery, useIsMutating } from '@tanstack/react-query';
import { useId, useMemo, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { paths } from '../../../shared/paths.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { errorMessage } from '../../lib/api.ts';
import { useFormatters } from '../../lib/format.ts';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import { useSession } from '../../lib/session.tsx';
import { toggleKey, useRedeliver, useToggleWebhook, webhookDeliveriesQuery, type Delivery, type Webhook } from './api/webhooks.ts';
import { StatusBadge } from './StatusBadge.tsx';
import { RefreshProblem } from './RefreshProblem.tsx';
import { DELIVERY_STATUS, thresholdText, TRIGGERS, triggerLabel } from './webhook-text.ts';

/** Times to the second: retries come seconds apart. */
function useLogTime() {
  const { timeZone } = useFormatters();
  return useMemo(() => {
    const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium', timeZone });
    const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium', timeZone });
    return { full: (ms: number) => full.format(ms), time: (ms: number) => time.format(ms) };
  }, [timeZone]);
}

/** e.g. "in 12 s", "in 3 min", "now" */
function untilText(ms: number, now: number): string {
  const s = Math.round((ms - now) / 1000);
  if (s <= 0) return 'now';
  if (s < 90) return `in ${s} s`;
  const m = Math.round(s / 60);
  if (m < 90) return `in ${m} min`;
  return `in ${Math.round((m / 60) * 10) / 10} h`;
}

/** A webhook's deliveries in a side panel, newest first, read again every 5 s while open. */
export function DeliveryLogDrawer({ webhook, onClose, canChange }: { webhook: Webhook | null; onClose: () => void; canChange: boolean }) {
  return (
    <Drawer
      opened={!!webhook}
      onClose={onClose}
      position="right"
      size={760}
      title={webhook ? `Delivery log: ${webhook.name}` : 'Delivery log'}
      styles={{ title: { fontSize: 'var(--mantine-font-size-lg)', fontWeight: 650 } }}
      closeButtonProps={{ 'aria-label': 'Close the delivery log' }}
    >
      {webhook ? <DeliveryLog key={webhook.id} webhook={webhook} canChange={canChange} /> : null}
    </Drawer>
  );
}

function DeliveryLog({ webhook, canChange }: { webhook: Webhook; canChange: boolean }) {
  const log = useInfiniteQuery(webhookDeliveriesQuery(webhook.id));
  const deliveries = log.data?.pages.flatMap((p) => p.deliveries);
  const condition = thresholdText(webhook.trigger, webhook.threshold);

  return (
    <Stack gap="md">
      <Paper withBorder radius="md" p="sm">
        <Stack gap={6}>
          <Group gap="xs">
            <StatusBadge webhook={webhook} />
            <Text size="sm">
              {triggerLabel(webhook.trigger)}
              {condition ? ` · ${condition}` : ''}
            </Text>
          </Group>
          <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
            {webhook.url}
          </Text>
        </Stack>
      </Paper>
      {!webhook.isEnabled ? (
        <Alert
          color={webhook.disabledReason ? 'red' : 'gray'}
          variant="light"
          icon={webhook.disabledReason ? <IconAlertTriangle aria-hidden /> : <IconInfoCircle aria-hidden />}
          title={webhook.disabledReason ? 'Baton turned this webhook off' : 'This webhook is off'}
        >
          {webhook.disabledReason ? (
            <Text size="sm" mb={4} style={{ overflowWrap: 'anywhere' }}>
              {webhook.disabledReason}
            </Text>
          ) : null}
          <Text size="sm">No new events are sent, and pending deliveries wait until it is turned back on.</Text>
          {canChange ? <TurnOnControl webhook={webhook} /> : null}
        </Alert>
      ) : null}
      <Group justify="space-between" gap="xs">
        <Text size="sm" c="dimmed">
          Newest first; updates every few seconds.
        </Text>
        {log.isFetching && !log.isPending ? (
          <Group gap={6} c="dimmed">
            <Loader size={12} aria-hidden />
            <Text size="xs">Updating…</Text>
          </Group>
        ) : null}
      </Group>
      {log.isError && deliveries ? <RefreshProblem error={log.error} what="the delivery log" /> : null}
      <QueryState
        query={{ ...log, data: deliveries, isError: log.isError && !deliveries }}
        loadingLabel="Loading the delivery log…"
        errorTitle="Could not load the delivery log"
        isEmpty={(data) => data.length === 0}
        empty={
          <EmptyState icon={<IconHistory size={28} aria-hidden />} title="No deliveries yet">
            Every “{TRIGGERS[webhook.trigger]?.name ?? webhook.trigger}” event from now on is listed here, with each attempt
            Baton made to deliver it.
          </EmptyState>
        }
      >
        {(data) => (
          <Stack gap="md">
            <Stack gap="sm" component="ul" aria-label="Deliveries" m={0} p={0} style={{ listStyle: 'none' }}>
              {data.map((d) => (
                <DeliveryItem key={d.id} delivery={d} webhook={webhook} canChange={canChange} />
              ))}
            </Stack>
            {log.hasNextPage ? (
              <Center>
                <Button variant="default" loading={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
                  Load more
                </Button>
              </Center>
            ) : data.length > 5 ? (
              <Text size="xs" c="dimmed" ta="center">
                That is every delivery.
              </Text>
            ) : null}
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}

/** Turns the webhook back on from the log; the server checks the URL again first (error 1008). */
function TurnOnControl({ webhook }: { webhook: Webhook }) {
  const toggle = useToggleWebhook(webhook.id);
  const busy = useIsMutating({ mutationKey: toggleKey(webhook.id) }) > 0;
  const [error, setError] = useState<string | null>(null);
  const turnOn = () => {
    setError(null);
    toggle.mutate(true, {
      onSuccess: (w) => notifySuccess(`The URL passed the check; Baton sends events to “${w.name}” again.`, 'Webhook on'),
      onError: (e) => setError(errorMessage(e)),
    });
  };
  return (
    <Stack gap="xs" mt="sm" align="flex-start">
      {error ? (
        <Alert color="red" variant="outline" title="Could not turn it back on" role="alert" w="100%" bg="var(--mantine-color-body)">
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {error}
          </Text>
        </Alert>
      ) : null}
      <Button size="xs" color={webhook.disabledReason ? 'red' : undefined} leftSection={<IconPower size={14} aria-hidden />} loading={busy} onClick={turnOn}>
        Turn back on
      </Button>
    </Stack>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <div>{children}</div>
    </Stack>
  );
}

function NextAttempt({ at, webhookOn }: { at: number | null; webhookOn: boolean }) {
  const t = useLogTime();
  const [now, setNow] = useState(() => Date.now());
  useInterval(() => setNow(Date.now()), 1000, { autoInvoke: true });
  if (!webhookOn) return <Text size="sm">Waits until the webhook is on</Text>;
  if (at === null || at <= now) return <Text size="sm">Sending now…</Text>;
  return (
    <Text size="sm" title={t.full(at)}>
      {untilText(at, now)} ({t.time(at)})
    </Text>
  );
}

function SubjectLink({ delivery }: { delivery: Delivery }) {
  const { organization } = useSession();
  if (!delivery.subjectId) return <Text size="sm">—</Text>;
  const isWorker = TRIGGERS[delivery.triggerId]?.worker ?? false;
  const label = `${isWorker ? 'Driver' : 'Task'} ${delivery.subjectId}`;
  // Couriers can open the task in dispatch; a deleted task simply says so there.
  if (!isWorker && organization.kind === 'courier' && delivery.triggerId !== 8) {
    return (
      <Anchor component={Link} to={paths.dispatch(delivery.subjectId)} size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
        {label}
      </Anchor>
    );
  }
  return (
    <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
      {label}
    </Text>
  );
}

function DeliveryItem({ delivery: d, webhook, canChange }: { delivery: Delivery; webhook: Webhook; canChange: boolean }) {
  const t = useLogTime();
  const redeliver = useRedeliver(webhook.id);
  const [open, setOpen] = useState(false);
  const headingId = useId();
  const attemptsId = useId();
  const status = DELIVERY_STATUS[d.status] ?? { label: d.status, color: 'gray', help: '' };
  const trigger = TRIGGERS[d.triggerId] ? triggerLabel(d.triggerId) : `${d.triggerName} (${d.triggerId})`;

  const onRedeliver = () =>
    redeliver.mutate(d.id, {
      onSuccess: () => notifySuccess(`The “${TRIGGERS[d.triggerId]?.name ?? d.triggerName}” delivery is queued to be sent again now.`, 'Redelivery queued'),
      onError: (error) => notifyError(error, 'Could not redeliver'),
    });

  return (
    <Paper component="li" withBorder radius="md" p="sm">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
          <Stack gap={4} style={{ minWidth: 0 }}>
            <Group gap="xs" id={headingId}>
              <Tooltip label={status.help} multiline w={260} withArrow disabled={!status.help}>
                <Badge variant="light" color={status.color} tt="none">
                  {status.label}
                </Badge>
              </Tooltip>
              <Text size="sm" fw={600}>
                {trigger}
              </Text>
              <Text size="sm" c="dimmed" title={t.full(d.timeCreated)}>
                {t.full(d.timeCreated)}
              </Text>
            </Group>
          </Stack>
          {canChange ? (
            <Button
              size="xs"
              variant="light"
              leftSection={<IconSend size={14} aria-hidden />}
              loading={redeliver.isPending}
              onClick={onRedeliver}
              aria-describedby={headingId}
            >
              Redeliver
            </Button>
          ) : null}
        </Group>
        <Grid gutter="sm">
          <Grid.Col span={{ base: 12, xs: 5 }}>
            <Fact label="Subject">
              <SubjectLink delivery={d} />
            </Fact>
          </Grid.Col>
          <Grid.Col span={{ base: 4, xs: 2 }}>
            <Fact label="Attempts">
              <Text size="sm">{d.attempts}</Text>
            </Fact>
          </Grid.Col>
          <Grid.Col span={{ base: 4, xs: 2 }}>
            <Fact label="Last status">
              <Text size="sm" c={d.lastStatusCode !== null && (d.lastStatusCode < 200 || d.lastStatusCode >= 300) ? 'red.7' : undefined}>
                {d.lastStatusCode ?? '—'}
              </Text>
            </Fact>
          </Grid.Col>
          <Grid.Col span={{ base: 4, xs: 3 }}>
            {d.status === 'pending' ? (
              <Fact label="Next attempt">
                <NextAttempt at={d.nextAttemptAt} webhookOn={webhook.isEnabled} />
              </Fact>
            ) : d.status === 'delivered' && d.timeDelivered !== null ? (
              <Fact label="Delivered">
                <Text size="sm" title={t.full(d.timeDelivered)}>
                  {t.time(d.timeDelivered)}
                </Text>
              </Fact>
            ) : (
              <Fact label="Gave up">
                <Text size="sm">{d.attemptLog.length ? t.time(d.attemptLog[d.attemptLog.length - 1].time) : '—'}</Text>
              </Fact>
            )}
          </Grid.Col>
        </Grid>
        {d.lastError && d.status !== 'delivered' ? (
          <Text size="sm" c="red.7" style={{ overflowWrap: 'anywhere' }}>
            <Text span size="sm" fw={600}>
              Last error:{' '}
            </Text>
            {d.lastError}
          </Text>
        ) : null}
        {d.attemptLog.length > 0 ? (
          <div>
            <Button
              size="compact-sm"
              variant="subtle"
              color="gray"
              rightSection={
                <IconChevronDown size={14} aria-hidden style={{ transform: open ? 'rotate(180deg)' : undefined, transition: 'transform 150ms' }} />
              }
              aria-expanded={open}
              aria-controls={attemptsId}
              onClick={() => setOpen((o) => !o)}
            >
              Attempt log ({d.attemptLog.length})
            </Button>
            <Collapse in={open} id={attemptsId}>
              <AttemptTable delivery={d} />
            </Collapse>
          </div>
        ) : null}
      </Stack>
    </Paper>
  );
}

function AttemptTable({ delivery }: { delivery: Delivery }) {
  const t = useLogTime();
  const attempts = [...delivery.attemptLog].sort((a, b) => b.attempt - a.attempt);
  return (
    <Table.ScrollContainer minWidth={640} mt="xs">
      <Table verticalSpacing={6} fz="sm" withTableBorder>
        <Table.Caption>Every attempt to deliver this event, latest first.</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">#</Table.Th>
            <Table.Th scope="col">Time</Table.Th>
            <Table.Th scope="col" style={{ whiteSpace: 'nowrap' }}>
              Status code
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Latency
            </Table.Th>
            <Table.Th scope="col" miw={180}>
              Response
            </Table.Th>
            <Table.Th scope="col" miw={140}>
              Error
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {attempts.map((a) => {
            const ok = a.error === null && a.statusCode !== null && a.statusCode >= 200 && a.statusCode < 300;
            return (
              <Table.Tr key={a.attempt}>
                <Table.Td>{a.attempt}</Table.Td>
                <Table.Td>
                  <Text size="sm" title={t.full(a.time)} style={{ whiteSpace: 'nowrap' }}>
                    {t.time(a.time)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {a.statusCode !== null ? (
                    <Badge variant="light" color={ok ? 'green' : 'red'} tt="none">
                      {a.statusCode}
                    </Badge>
                  ) : (
                    <Text size="sm" c="dimmed">
                      none
                    </Text>
                  )}
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                    {a.latencyMs} ms
                  </Text>
                </Table.Td>
                <Table.Td>
                  {a.responseExcerpt ? (
                    <Code block fz="xs" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                      {a.responseExcerpt}
                    </Code>
                  ) : (
                    <Text size="sm" c="dimmed">
                      No body
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {a.error ? (
                    <Text size="sm" c="red.7" style={{ overflowWrap: 'anywhere' }}>
                      {a.error}
                    </Text>
                  ) : (
                    <Text size="sm" c="dimmed">
                      None
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
