import { ActionIcon, Anchor, Badge, Button, CopyButton, Divider, Drawer, Group, SimpleGrid, Stack, Text, Title, Tooltip } from '@mantine/core';
import { modals } from '@mantine/modals';
import { IconArrowBackUp, IconCheck, IconCircleCheck, IconCopy, IconRepeat, IconTrash, IconUserPlus, IconX } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { paths } from '../../../../shared/paths.ts';
import { ErrorState, LoadingState } from '../../../components/QueryState.tsx';
import { isApiError } from '../../../lib/api.ts';
import { useFormatters } from '../../../lib/format.ts';
import { notifyError, notifySuccess } from '../../../lib/notify.ts';
import type { TaskWithEta } from '../../../lib/types.ts';
import { orderQuery } from '../../orders/api/get-order.ts';
import { OrderStatusBadge, TaskStatusBadge } from '../../orders/components/StatusBadges.tsx';
import { ProofOfDelivery } from '../../orders/components/ProofOfDelivery.tsx';
import { RecipientFeedback } from '../../orders/components/RecipientFeedback.tsx';
import { TaskTimeline } from '../../orders/components/TaskTimeline.tsx';
import { addressText, endedByDecision, orderEditable, taskKind } from '../../orders/lib/labels.ts';
import { taskHistoryQuery, taskQuery } from '../api/get-task.ts';
import { describeTaskEntry } from '../lib/task-history.ts';
import { useMoveTasks } from '../api/move-tasks.ts';
import { useCloneTask, useDeleteTask } from '../api/task-actions.ts';
import { assigneeText, movable, type Directory } from '../lib/tasks.ts';
import { AssignModal } from './AssignModal.tsx';
import { CompleteTaskModal, RejectOrderModal } from './TaskActionModals.tsx';

type Dialog = 'assign' | 'complete' | 'reject' | null;

/** One task in a side panel: where, who, its history, and what a dispatcher can do with it. */
export function TaskDrawer({
  taskId,
  dir,
  known,
  onClose,
  onOpen,
  canWrite,
}: {
  taskId: string | null;
  dir: Directory;
  known: Map<string, TaskWithEta>;
  onClose: () => void;
  onOpen: (id: string) => void;
  canWrite: boolean;
}) {
  const task = useQuery({ ...taskQuery(taskId ?? ''), enabled: !!taskId });
  const title = task.data ? `${taskKind(task.data)} ${task.data.shortId}` : 'Task';
  return (
    <Drawer
      opened={!!taskId}
      onClose={onClose}
      position="right"
      size="lg"
      title={
        <Group gap="xs">
          <Title order={2} fz="lg">
            {title}
          </Title>
          {task.data ? <TaskStatusBadge task={task.data} /> : null}
        </Group>
      }
      closeButtonProps={{ 'aria-label': 'Close the task' }}
    >
      {!taskId ? null : task.isPending ? (
        <LoadingState label="Loading the task…" />
      ) : task.isError ? (
        isApiError(task.error, 404) ? (
          <Text c="dimmed">This task no longer exists; it may have been deleted.</Text>
        ) : (
          <ErrorState error={task.error} title="Could not load the task" onRetry={() => void task.refetch()} />
        )
      ) : (
        <TaskDetails task={task.data} dir={dir} known={known} onOpen={onOpen} onClose={onClose} canWrite={canWrite} />
      )}
    </Drawer>
  );
}

function TaskDetails({
  task,
  dir,
  known,
  onOpen,
  onClose,
  canWrite,
}: {
  task: TaskWithEta;
  dir: Directory;
  known: Map<string, TaskWithEta>;
  onOpen: (id: string) => void;
  onClose: () => void;
  canWrite: boolean;
}) {
  const fmt = useFormatters();
  const [dialog, setDialog] = useState<Dialog>(null);
  const order = useQuery({ ...orderQuery(task.orderShortId ?? ''), enabled: !!task.orderShortId });
  const move = useMoveTasks();
  const clone = useCloneTask();
  const remove = useDeleteTask();
  const kind = taskKind(task);
  const failed = task.state === 3 && task.completionDetails.success === false && !endedByDecision(task);
  const partner = order.data ? (task.pickupTask ? order.data.dropoffTask : order.data.pickupTask) : null;
  const recipient = task.recipients[0];
  const client = dir.client(task);

  const unassign = () =>
    move.mutate(
      { tasks: [task], target: { type: 'ORGANIZATION' } },
      {
        onSuccess: ({ failed: f }) => (f.length ? notifyError(f[0].error, 'Could not unassign the task') : notifySuccess(`${kind} ${task.shortId} is unassigned.`)),
      },
    );

  const redeliver = () =>
    clone.mutate(task.id, {
      onSuccess: (copy) => {
        notifySuccess(`A new attempt, ${copy.shortId}, is waiting to be assigned.`, 'Redelivery created');
        onOpen(copy.id);
      },
      onError: (e) => notifyError(e, 'Could not create the redelivery'),
    });

  const onDelete = () =>
    modals.openConfirmModal({
      title: `Delete ${kind.toLowerCase()} ${task.shortId}?`,
      children: <Text size="sm">The task is removed for good; its driver no longer sees it. This cannot be undone.</Text>,
      labels: { confirm: 'Delete task', cancel: 'Keep task' },
      confirmProps: { color: 'red' },
      onConfirm: () =>
        remove.mutate(task.id, {
          onSuccess: () => {
            notifySuccess(`${kind} ${task.shortId} was deleted.`);
            onClose();
          },
          // The server says why it refuses (active, completed, or part of an order).
          onError: (e) => notifyError(e, 'Could not delete the task'),
        }),
    });

  const canReject = !!task.orderShortId && (!order.data || orderEditable(order.data));

  return (
    <Stack gap="md">
      {task.orderShortId ? (
        <Group gap="xs">
          <Text size="sm">Order</Text>
          <Anchor component={Link} to={paths.courierOrder(task.orderShortId)} fw={600} ff="monospace" size="sm">
            {task.orderShortId}
          </Anchor>
          {order.data ? <OrderStatusBadge status={order.data.status} size="sm" /> : null}
          {client ? (
            <Text size="sm" c="dimmed">
              · {client}
            </Text>
          ) : null}
        </Group>
      ) : null}
      {partner && partner.id !== task.id ? (
        <Text size="sm">
          Its {task.pickupTask ? 'dropoff' : 'pickup'}:{' '}
          <Anchor component="button" type="button" size="sm" ff="monospace" fw={600} onClick={() => onOpen(partner.id)}>
            {partner.shortId}
          </Anchor>{' '}
          <TaskStatusBadge task={partner} size="sm" /> <Text span size="sm" c="dimmed">{assigneeText(partner, dir)}</Text>
        </Text>
      ) : null}

      {canWrite ? (
        <Group gap="xs">
          {movable(task) ? (
            <Button size="xs" leftSection={<IconUserPlus size={16} aria-hidden />} onClick={() => setDialog('assign')}>
              {task.worker ? 'Reassign…' : 'Assign…'}
            </Button>
          ) : null}
          {movable(task) && (task.worker || task.container.type === 'TEAM') ? (
            <Button size="xs" variant="default" leftSection={<IconArrowBackUp size={16} aria-hidden />} onClick={unassign} loading={move.isPending}>
              Unassign
            </Button>
          ) : null}
          {task.state === 2 ? (
            <Button size="xs" variant="default" leftSection={<IconCircleCheck size={16} aria-hidden />} onClick={() => setDialog('complete')}>
              Complete…
            </Button>
          ) : null}
          {failed ? (
            <Button size="xs" variant="default" leftSection={<IconRepeat size={16} aria-hidden />} onClick={redeliver} loading={clone.isPending}>
              Redeliver
            </Button>
          ) : null}
          {canReject ? (
            <Button size="xs" variant="light" color="red" leftSection={<IconX size={16} aria-hidden />} onClick={() => setDialog('reject')}>
              Reject order…
            </Button>
          ) : null}
          {task.state < 2 ? (
            <Button size="xs" variant="subtle" color="red" leftSection={<IconTrash size={16} aria-hidden />} onClick={onDelete} loading={remove.isPending}>
              Delete
            </Button>
          ) : null}
        </Group>
      ) : null}

      <Divider />
      <Stack gap={4}>
        <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
          {addressText(task.destination.address)}
        </Text>
        {task.destination.location ? (
          <Text size="xs" c="dimmed">
            {task.destination.location[1].toFixed(5)}, {task.destination.location[0].toFixed(5)}
          </Text>
        ) : null}
        {task.destination.notes ? (
          <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
            {task.destination.notes}
          </Text>
        ) : null}
        {task.destination.warnings.map((w) => (
          <Text key={w} size="xs" c="orange.9">
            {w}
          </Text>
        ))}
      </Stack>

      <SimpleGrid cols={2} spacing="sm">
        <Fact label={task.pickupTask ? 'Contact' : 'Recipient'}>
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
              None
            </Text>
          )}
        </Fact>
        <Fact label="Driver / team">
          <Text size="sm">{assigneeText(task, dir)}</Text>
        </Fact>
        <Fact label="Not before">
          <Text size="sm">{task.completeAfter ? fmt.dateTime(task.completeAfter) : '—'}</Text>
        </Fact>
        <Fact label="Due by">
          <Text size="sm" c={task.state < 3 && task.completeBefore && task.completeBefore < Date.now() ? 'red.8' : undefined}>
            {task.completeBefore ? fmt.dateTime(task.completeBefore) : '—'}
          </Text>
        </Fact>
        {task.quantity > 0 ? (
          <Fact label="Parcels">
            <Text size="sm">{task.quantity}</Text>
          </Fact>
        ) : null}
        <Fact label="Tracking link">
          <Group gap={4} wrap="nowrap">
            <Anchor href={task.trackingURL} target="_blank" rel="noopener" size="sm" truncate="end" maw={260}>
              {task.trackingURL.replace(/^https?:\/\//, '')}
            </Anchor>
            <CopyButton value={task.trackingURL} timeout={2000}>
              {({ copied, copy }) => (
                <Tooltip label={copied ? 'Copied' : 'Copy the tracking link'}>
                  <ActionIcon variant="subtle" color={copied ? 'green' : 'gray'} size="sm" onClick={copy} aria-label={copied ? 'Tracking link copied' : 'Copy the tracking link'}>
                    {copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />}
                  </ActionIcon>
                </Tooltip>
              )}
            </CopyButton>
          </Group>
        </Fact>
      </SimpleGrid>
      {task.notes ? (
        <Fact label="Notes for the driver">
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {task.notes}
          </Text>
        </Fact>
      ) : null}

      <Divider />
      <Stack gap="xs">
        <Group gap="xs">
          <Text size="sm" fw={600}>
            History
          </Text>
          <Badge variant="light" color="gray" tt="none" size="sm">
            last change {fmt.relative(task.timeLastModified)}
          </Badge>
        </Group>
        <TaskTimeline task={task} driver={dir.driver(task.worker)} team={dir.team(task.container.team)} />
      </Stack>
      {!task.pickupTask ? <RecipientFeedback task={task} /> : null}
      <TaskActivity taskId={task.id} dir={dir} />
      {task.state === 3 && !endedByDecision(task) ? (
        <>
          <Divider />
          <ProofOfDelivery task={task} />
        </>
      ) : null}

      {dialog === 'assign' ? (
        <AssignModal tasks={[task]} known={partner ? new Map([...known, [partner.id, partner]]) : known} dir={dir} onClose={() => setDialog(null)} />
      ) : null}
      {dialog === 'complete' ? <CompleteTaskModal task={task} onClose={() => setDialog(null)} /> : null}
      {dialog === 'reject' && task.orderShortId ? <RejectOrderModal orderShortId={task.orderShortId} onClose={() => setDialog(null)} /> : null}
    </Stack>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2} style={{ minWidth: 0 }}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      {children}
    </Stack>
  );
}

/** Every change to the task: who did it and when (the audit trail). */
function TaskActivity({ taskId, dir }: { taskId: string; dir: Directory }) {
  const fmt = useFormatters();
  const history = useQuery(taskHistoryQuery(taskId));
  return (
    <Stack gap="xs" component="section" aria-label="Activity">
      <Text size="sm" fw={600}>
        Activity
      </Text>
      {history.isPending ? (
        <LoadingState label="Loading the task’s activity" />
      ) : history.isError ? (
        <ErrorState error={history.error} onRetry={() => void history.refetch()} />
      ) : history.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing recorded yet.
        </Text>
      ) : (
        <Stack gap={6} component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {history.data.map((e) => (
            <li key={e.id}>
              <Text size="sm">
                <Text span fw={600} size="sm">
                  {e.actor.label}
                </Text>{' '}
                {describeTaskEntry(e, { driver: (id) => dir.driver(id ?? null), team: (id) => dir.team(id ?? null) })}
              </Text>
              <Text size="xs" c="dimmed">
                {fmt.dateTime(e.time)} · {fmt.relative(e.time)}
              </Text>
            </li>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
