import { Alert, Anchor, Badge, Button, Center, Divider, Group, Modal, Paper, Stack, Table, Text } from '@mantine/core';
import { IconInfoCircle, IconMail } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { EmptyState } from '../../components/EmptyState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useFormatters } from '../../lib/format.ts';
import { usePermissions } from '../../lib/session.tsx';
import type { MessageStatus, OutboxMessage } from '../../lib/types.ts';
import { outboxQuery } from './api/outbox.ts';

const STATUS: Record<MessageStatus, { label: string; color: string }> = {
  queued: { label: 'Queued', color: 'blue' },
  sent: { label: 'Sent', color: 'green' },
  kept: { label: 'Kept here', color: 'gray' },
  failed: { label: 'Failed', color: 'red' },
};

function titleOf(m: OutboxMessage): string {
  if (m.subject) return m.subject;
  const first = m.text.split('\n')[0]?.trim() ?? '';
  return first.length > 80 ? `${first.slice(0, 79)}…` : first || '(no text)';
}

export function OutboxPage() {
  const { isAdmin } = usePermissions();
  if (!isAdmin) {
    return (
      <>
        <PageHeader title="Outbox" description="Emails and text messages Baton has sent or is keeping for you." />
        <Alert color="blue" variant="light" icon={<IconInfoCircle aria-hidden />} title="For administrators">
          Only administrators can read the outbox.
        </Alert>
      </>
    );
  }
  return <Outbox />;
}

function Outbox() {
  const outbox = useInfiniteQuery(outboxQuery);
  const [open, setOpen] = useState<OutboxMessage | null>(null);
  const fmt = useFormatters();

  return (
    <>
      <PageHeader
        title="Outbox"
        description="Emails and text messages Baton has sent or is keeping for you."
      />
      <QueryState
        query={{ ...outbox, data: outbox.data?.pages.flatMap((p) => p.messages) }}
        loadingLabel="Loading messages…"
        errorTitle="Could not load the outbox"
        isEmpty={(data) => data.length === 0}
        empty={
          <EmptyState icon={<IconMail size={28} aria-hidden />} title="No messages yet">
            When no SMTP server is configured, Baton keeps every email here instead of sending it, so you can read
            invitations and follow their links yourself. Messages appear when you invite someone.
          </EmptyState>
        }
      >
        {(messages) => (
          <Stack gap="md">
            <Paper radius="md">
              <Table.ScrollContainer minWidth={680}>
                <Table>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">To</Table.Th>
                      <Table.Th scope="col">Subject</Table.Th>
                      <Table.Th scope="col">Status</Table.Th>
                      <Table.Th scope="col">Time</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {messages.map((m) => (
                      <Table.Tr key={m.id}>
                        <Table.Td>
                          <Text size="sm">{m.to}</Text>
                          <Text size="xs" c="dimmed">
                            {m.channel === 'sms' ? 'Text message' : 'Email'}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Anchor component="button" type="button" size="sm" fw={600} ta="left" onClick={() => setOpen(m)}>
                            {titleOf(m)}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>
                          <Badge variant="light" color={STATUS[m.status]?.color ?? 'gray'} tt="none">
                            {STATUS[m.status]?.label ?? m.status}
                          </Badge>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm" title={fmt.dateTime(m.timeCreated)} style={{ whiteSpace: 'nowrap' }}>
                            {fmt.dateTime(m.timeSent ?? m.timeCreated)}
                          </Text>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Paper>
            {outbox.hasNextPage ? (
              <Center>
                <Button variant="default" loading={outbox.isFetchingNextPage} onClick={() => void outbox.fetchNextPage()}>
                  Load older messages
                </Button>
              </Center>
            ) : null}
          </Stack>
        )}
      </QueryState>
      <MessageModal message={open} onClose={() => setOpen(null)} />
    </>
  );
}

const URL_RE = /(https?:\/\/[^\s<>"')]+)/g;

/** The message's text with each web address as a link (same tab, so an invitation can be followed). */
function LinkedText({ text }: { text: string }) {
  const parts = text.split(URL_RE);
  return (
    <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <Anchor key={i} href={part} size="sm">
            {part}
          </Anchor>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </Text>
  );
}

function MessageModal({ message, onClose }: { message: OutboxMessage | null; onClose: () => void }) {
  const fmt = useFormatters();
  return (
    <Modal opened={message !== null} onClose={onClose} title={message ? titleOf(message) : ''} size="lg">
      {message ? (
        <Stack gap="md">
          <Stack gap={4}>
            <Group gap="xs">
              <Text size="sm" fw={600}>
                To
              </Text>
              <Text size="sm">{message.to}</Text>
            </Group>
            <Group gap="xs">
              <Text size="sm" fw={600}>
                Status
              </Text>
              <Badge variant="light" color={STATUS[message.status]?.color ?? 'gray'} tt="none">
                {STATUS[message.status]?.label ?? message.status}
              </Badge>
              <Text size="sm" c="dimmed">
                {fmt.dateTime(message.timeCreated)}
              </Text>
            </Group>
            {message.lastError ? (
              <Text size="sm" c="red.8">
                Last error: {message.lastError}
              </Text>
            ) : null}
          </Stack>
          <Divider />
          <LinkedText text={message.text} />
        </Stack>
      ) : null}
    </Modal>
  );
}
