import { Anchor, Badge, Button, Center, Group, Paper, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconMail, IconMessage, IconMessages } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { paths } from '../../../shared/paths.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useFormatters } from '../../lib/format.ts';
import { useSession } from '../../lib/session.tsx';
import { notificationLogQuery, type NotificationMessage } from './api/notifications.ts';
import { CHANNELS, STATUS, TRIGGERS } from './notification-text.ts';

const LONG_TEXT = 90;

/** Every text message and email the rules produced, newest first; refreshed every 10 s while shown. */
export function MessageLog() {
  const log = useInfiniteQuery(notificationLogQuery);
  const messages = log.data?.pages.flatMap((p) => p.messages);

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed" maw={640}>
        Every text message and email sent to recipients, newest first. New messages appear here on their own.
      </Text>
      <QueryState
        query={{ ...log, data: messages }}
        loadingLabel="Loading the message log…"
        errorTitle="Could not load the message log"
        isEmpty={(data) => data.length === 0}
        empty={
          <EmptyState icon={<IconMessages size={28} aria-hidden />} title="No messages yet">
            Messages appear here as soon as a delivery sends one, for example when a driver sets off to a recipient.
          </EmptyState>
        }
      >
        {(data) => (
          <Stack gap="md">
            <LogTable messages={data} />
            {log.hasNextPage ? (
              <Center>
                <Button variant="default" loading={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
                  Load more
                </Button>
              </Center>
            ) : null}
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}

function TaskCell({ m }: { m: NotificationMessage }) {
  const { organization } = useSession();
  const isCourier = organization.kind === 'courier';
  const task = isCourier ? (
    <Anchor component={Link} to={paths.dispatch(m.taskId)} size="xs" ff="monospace" c="dimmed">
      task {m.taskShortId}
    </Anchor>
  ) : (
    <Text size="xs" ff="monospace" c="dimmed">
      task {m.taskShortId}
    </Text>
  );
  if (!m.orderShortId) return task;
  return (
    <Stack gap={0} align="flex-start">
      <Anchor
        component={Link}
        to={isCourier ? paths.courierOrder(m.orderShortId) : paths.portalOrder(m.orderShortId)}
        size="sm"
        fw={600}
        ff="monospace"
      >
        {m.orderShortId}
      </Anchor>
      {task}
    </Stack>
  );
}

function MessageText({ m }: { m: NotificationMessage }) {
  const full = m.subject ? `${m.subject}\n\n${m.text}` : m.text;
  const long = full.length > LONG_TEXT || full.includes('\n');
  const content = (
    // The whole text is in the page (screen readers read it all); it is only clipped on screen.
    <Text size="sm" lineClamp={2} tabIndex={long ? 0 : undefined} style={{ overflowWrap: 'anywhere' }}>
      {m.subject ? (
        <Text span size="sm" fw={600}>
          {m.subject} ·{' '}
        </Text>
      ) : null}
      {m.text}
    </Text>
  );
  if (!long) return content;
  return (
    <Tooltip
      label={full}
      multiline
      w={380}
      withArrow
      events={{ hover: true, focus: true, touch: true }}
      style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
    >
      {content}
    </Tooltip>
  );
}

function LogTable({ messages }: { messages: NotificationMessage[] }) {
  const fmt = useFormatters();
  return (
    <Paper radius="md">
      <Table.ScrollContainer minWidth={1000}>
        <Table verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Time</Table.Th>
              <Table.Th scope="col">Order</Table.Th>
              <Table.Th scope="col">Message</Table.Th>
              <Table.Th scope="col" miw={160}>
                To
              </Table.Th>
              <Table.Th scope="col" miw={200}>
                Text
              </Table.Th>
              <Table.Th scope="col" miw={250}>
                Status
              </Table.Th>
              <Table.Th scope="col" ta="right">
                Attempts
              </Table.Th>
              <Table.Th scope="col" miw={140}>
                Last error
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {messages.map((m) => {
              const status = STATUS[m.status] ?? { label: m.status, color: 'gray', help: '' };
              const time = m.timeSent ?? m.timeCreated;
              return (
                <Table.Tr key={m.id}>
                  <Table.Td>
                    <Text size="sm" title={fmt.relative(time)} miw={110}>
                      {fmt.dateTime(time)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <TaskCell m={m} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{TRIGGERS[m.trigger]?.name ?? m.trigger}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" style={m.channel === 'sms' ? { whiteSpace: 'nowrap' } : { overflowWrap: 'anywhere' }}>
                      {m.to || '—'}
                    </Text>
                    <Group gap={4} wrap="nowrap" c="dimmed">
                      {m.channel === 'sms' ? <IconMessage size={14} aria-hidden /> : <IconMail size={14} aria-hidden />}
                      <Text size="xs">{CHANNELS[m.channel]?.label ?? m.channel}</Text>
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <MessageText m={m} />
                  </Table.Td>
                  <Table.Td>
                    <Stack gap={4} align="flex-start">
                      <Tooltip label={status.help} multiline w={280} withArrow disabled={!status.help}>
                        <Badge variant="light" color={status.color} tt="none" maw="none">
                          {status.label}
                        </Badge>
                      </Tooltip>
                      {m.status === 'skipped' && m.lastError ? (
                        <Text size="xs" c="dimmed">
                          {m.lastError}
                        </Text>
                      ) : null}
                    </Stack>
                  </Table.Td>
                  <Table.Td ta="right">
                    <Text size="sm">{m.attempts}</Text>
                  </Table.Td>
                  <Table.Td>
                    {m.lastError && m.status !== 'skipped' ? (
                      <Text size="xs" c={m.status === 'failed' ? 'red.7' : 'dimmed'} lineClamp={3} title={m.lastError} style={{ overflowWrap: 'anywhere' }}>
                        {m.lastError}
                      </Text>
                    ) : (
                      <Text size="sm" c="dimmed" aria-label="None">
                        —
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
