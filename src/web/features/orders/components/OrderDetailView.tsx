import {
  ActionIcon,
  Alert,
  Anchor,
  Box,
  CopyButton,
  Divider,
  Group,
  List,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconAlertTriangle, IconArrowLeft, IconCheck, IconCopy, IconExternalLink, IconInfoCircle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useFormatters } from '../../../lib/format.ts';
import type { Order, TaskWithEta } from '../../../lib/types.ts';
import type { LiveStatus } from '../api/live-updates.ts';
import { addressText, endedByDecision, orderReference } from '../lib/labels.ts';
import { LiveBadge } from './LiveBadge.tsx';
import { RecipientFeedback } from './RecipientFeedback.tsx';
import { ProofOfDelivery } from './ProofOfDelivery.tsx';
import { OrderStatusBadge, TaskStatusBadge } from './StatusBadges.tsx';
import { TaskTimeline } from './TaskTimeline.tsx';

/** Names the viewer may know: a courier knows its drivers and teams; a client knows neither. */
export interface OrderNames {
  driver?: (workerId: string) => string | null;
  team?: (teamId: string) => string | null;
}

export interface OrderDetailViewProps {
  order: Order;
  audience: 'client' | 'courier';
  names?: OrderNames;
  back: { to: string; label: string };
  live: LiveStatus;
  /** buttons for the header (edit, cancel, reject) */
  actions?: ReactNode;
  /** courier: where a task opens (dispatch) */
  taskLink?: (task: TaskWithEta) => string;
}

/** Everything about one order: status, both tasks with their history, tracking link, proof of delivery. */
export function OrderDetailView({ order, audience, names, back, live, actions, taskLink }: OrderDetailViewProps) {
  const fmt = useFormatters();
  const reference = orderReference(order);
  return (
    <Stack gap="lg">
      <Box>
        <Anchor component={Link} to={back.to} size="sm" mb="xs" display="inline-flex" style={{ alignItems: 'center', gap: 4 }}>
          <IconArrowLeft size={16} aria-hidden />
          {back.label}
        </Anchor>
        <Group justify="space-between" align="flex-start" gap="md">
          <Group gap="sm" align="center">
            <Title order={1} fz={{ base: 24, sm: 28 }}>
              Order {order.shortId}
            </Title>
            <OrderStatusBadge status={order.status} size="lg" />
            <LiveBadge status={live} />
          </Group>
          {actions ? <Group gap="sm">{actions}</Group> : null}
        </Group>
      </Box>

      {order.status === 'rejected' && order.rejection ? (
        <Alert color="red" variant="light" icon={<IconAlertTriangle aria-hidden />} title={audience === 'client' ? 'The courier rejected this order' : 'This order was rejected'}>
          <Stack gap={4}>
            <List size="sm">
              {order.rejection.reasons.map((r, i) => (
                <List.Item key={i}>{r}</List.Item>
              ))}
            </List>
            <Text size="xs" c="dimmed">
              {fmt.dateTime(order.rejection.time)}
            </Text>
          </Stack>
        </Alert>
      ) : null}
      {order.status === 'cancelled' ? (
        <Alert color="gray" variant="light" icon={<IconInfoCircle aria-hidden />} title="This order was cancelled">
          {audience === 'client' ? 'It will not be picked up or delivered.' : 'The client cancelled it before the pickup started.'}
        </Alert>
      ) : null}

      <Paper p="md" radius="md">
        <SimpleGrid cols={{ base: 1, xs: 2, md: audience === 'courier' ? 5 : 4 }} spacing="md">
          <Fact label="Created">{fmt.dateTime(order.timeCreated)}</Fact>
          {audience === 'courier' ? <Fact label="Client">{order.clientName || '—'}</Fact> : null}
          <Fact label="Reference">{reference ?? '—'}</Fact>
          <Fact label="Last change">{fmt.dateTime(order.timeLastModified)}</Fact>
          <Fact label="Tracking link">
            <Group gap={4} wrap="nowrap">
              <Anchor href={order.trackingURL} target="_blank" rel="noopener" size="sm" truncate="end" maw={220}>
                {order.trackingURL.replace(/^https?:\/\//, '')}
              </Anchor>
              <CopyButton value={order.trackingURL} timeout={2000}>
                {({ copied, copy }) => (
                  <Tooltip label={copied ? 'Copied' : 'Copy the tracking link'} withArrow>
                    <ActionIcon variant="subtle" color={copied ? 'green' : 'gray'} onClick={copy} aria-label={copied ? 'Tracking link copied' : 'Copy the tracking link'}>
                      {copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
                    </ActionIcon>
                  </Tooltip>
                )}
              </CopyButton>
            </Group>
          </Fact>
        </SimpleGrid>
      </Paper>

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <TaskCard title="Pickup" task={order.pickupTask} audience={audience} names={names} taskLink={taskLink} />
        <TaskCard title="Dropoff" task={order.dropoffTask} audience={audience} names={names} taskLink={taskLink} />
      </SimpleGrid>
    </Stack>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2} style={{ minWidth: 0 }}>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
        {label}
      </Text>
      <Box fz="sm">{children}</Box>
    </Stack>
  );
}

function windowText(task: TaskWithEta, dateTime: (ms: number) => string, pickup: boolean): string | null {
  const { completeAfter: after, completeBefore: before } = task;
  if (after !== null && before !== null) return `Between ${dateTime(after)} and ${dateTime(before)}`;
  if (after !== null) return pickup ? `Ready from ${dateTime(after)}` : `Not before ${dateTime(after)}`;
  if (before !== null) return `By ${dateTime(before)}`;
  return null;
}

function TaskCard({
  title,
  task,
  audience,
  names,
  taskLink,
}: {
  title: 'Pickup' | 'Dropoff';
  task: TaskWithEta;
  audience: 'client' | 'courier';
  names?: OrderNames;
  taskLink?: (task: TaskWithEta) => string;
}) {
  const fmt = useFormatters();
  const pickup = title === 'Pickup';
  const recipient = task.recipients[0];
  const driver = task.worker ? (names?.driver?.(task.worker) ?? null) : null;
  const team = task.container.type === 'TEAM' && task.container.team ? (names?.team?.(task.container.team) ?? null) : null;
  const timeWindow = windowText(task, fmt.dateTime, pickup);
  const headingId = `task-${task.id}-title`;
  return (
    <Paper p="md" radius="md" component="section" aria-labelledby={headingId}>
      <Stack gap="md">
        <Group justify="space-between" gap="xs">
          <Group gap="xs">
            <Title order={2} fz="lg" id={headingId}>
              {title}
            </Title>
            <TaskStatusBadge task={task} />
          </Group>
          {taskLink ? (
            <Anchor component={Link} to={taskLink(task)} size="sm" display="inline-flex" style={{ alignItems: 'center', gap: 4 }}>
              Task {task.shortId} in dispatch
              <IconExternalLink size={14} aria-hidden />
            </Anchor>
          ) : (
            <Text size="xs" c="dimmed">
              Task {task.shortId}
            </Text>
          )}
        </Group>

        <Stack gap={6}>
          <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
            {addressText(task.destination.address)}
          </Text>
          {task.destination.notes ? (
            <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
              {task.destination.notes}
            </Text>
          ) : null}
          {audience === 'courier' && task.destination.warnings.length ? (
            <Text size="xs" c="orange.9">
              {task.destination.warnings.join(' ')}
            </Text>
          ) : null}
        </Stack>

        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm" verticalSpacing="sm">
          <Detail label={pickup ? 'Contact' : 'Recipient'}>
            {recipient ? (
              <>
                <Text size="sm">{recipient.name}</Text>
                {recipient.phone ? (
                  <Anchor href={`tel:${recipient.phone}`} size="sm">
                    {recipient.phone}
                  </Anchor>
                ) : null}
              </>
            ) : (
              <Text size="sm" c="dimmed">
                None given
              </Text>
            )}
          </Detail>
          <Detail label={pickup ? 'Pickup time' : 'Delivery window'}>
            <Text size="sm">{timeWindow ?? 'Any time'}</Text>
            {task.eta && task.state < 3 ? (
              <Text size="sm" c="dimmed">
                ETA {fmt.dateTime(task.eta)}
              </Text>
            ) : null}
          </Detail>
          <Detail label="Driver">
            <Text size="sm">
              {task.worker ? (driver ?? (audience === 'client' ? 'Assigned' : 'Unknown driver')) : team ? `Team ${team}` : task.state === 3 ? '—' : 'Not assigned yet'}
            </Text>
          </Detail>
          {task.quantity > 0 ? (
            <Detail label="Parcels">
              <Text size="sm">{task.quantity}</Text>
            </Detail>
          ) : null}
        </SimpleGrid>

        {task.notes ? (
          <Detail label="Notes for the driver">
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {task.notes}
            </Text>
          </Detail>
        ) : null}

        <Divider />
        <Stack gap="xs">
          <Text size="sm" fw={600}>
            History
          </Text>
          <TaskTimeline task={task} driver={driver} team={team} />
        </Stack>
        {task.state === 3 && !endedByDecision(task) ? (
          <>
            <Divider />
            <ProofOfDelivery task={task} />
          </>
        ) : null}
        {!pickup ? (
          <>
            <Divider />
            <RecipientFeedback task={task} />
          </>
        ) : null}
      </Stack>
    </Paper>
  );
}

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      {children}
    </Stack>
  );
}
