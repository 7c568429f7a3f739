import { Badge, Group, Stack, Text, Tooltip } from '@mantine/core';
import { confirmAction } from '../../components/confirm.tsx';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import type { Client, ClientStatus } from '../../lib/types.ts';
import { useDeleteClient, useInviteClient } from './api/clients.ts';

export const CLIENT_STATUS: Record<ClientStatus, { label: string; color: string; meaning: string }> = {
  pending: { label: 'Pending', color: 'yellow', meaning: 'Created, not invited yet' },
  invited: { label: 'Invited', color: 'blue', meaning: 'Invitation sent, not accepted yet' },
  active: { label: 'Active', color: 'green', meaning: 'Accepted: the client uses its portal' },
  deleted: { label: 'Deleted', color: 'gray', meaning: 'Can no longer sign in; its orders stay' },
};

export const CLIENT_STATUSES: ClientStatus[] = ['pending', 'invited', 'active', 'deleted'];

export function ClientStatusBadge({ status, size = 'md' }: { status: ClientStatus; size?: 'sm' | 'md' | 'lg' }) {
  const s = CLIENT_STATUS[status] ?? { label: status, color: 'gray', meaning: '' };
  return (
    <Tooltip label={s.meaning} disabled={!s.meaning} withArrow>
      <Badge variant="light" color={s.color} tt="none" size={size} miw="max-content">
        {s.label}
      </Badge>
    </Tooltip>
  );
}

/** The client's email, with a new address that waits for the client's confirmation. */
export function ClientEmail({ client }: { client: Client }) {
  return (
    <Stack gap={2}>
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        {client.email}
      </Text>
      {client.pendingEmail ? (
        <Group gap={6} wrap="wrap">
          <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
            New: {client.pendingEmail}
          </Text>
          <Badge size="xs" variant="light" color="orange" tt="none">
            Awaiting confirmation
          </Badge>
        </Group>
      ) : null}
    </Stack>
  );
}

/** Invite (or invite again) and delete, with their notifications and the delete confirmation. */
export function useClientActions() {
  const invite = useInviteClient();
  const remove = useDeleteClient();

  const sendInvitation = (client: Client) =>
    invite.mutate(client.id, {
      onSuccess: (c) =>
        notifySuccess(
          client.status === 'invited'
            ? `A new invitation was sent to ${c.email}. The earlier link no longer works.`
            : `An invitation was sent to ${c.email}.`,
          client.status === 'invited' ? 'Invitation sent again' : 'Invitation sent',
        ),
      onError: (e) => notifyError(e, `Could not invite ${client.name}`),
    });

  const deleteClient = (client: Client) =>
    confirmAction({
      title: `Delete ${client.name}?`,
      message: (
        <Stack gap="xs">
          <Text size="sm">
            {client.status === 'active'
              ? `${client.name} will no longer be able to sign in to its portal. Its people are signed out at once and its API keys stop working.`
              : `${client.name} will no longer be able to sign in, and any invitation sent to it stops working.`}
          </Text>
          <Text size="sm">Its orders and their tasks stay in your account. The client stays listed as Deleted.</Text>
        </Stack>
      ),
      confirmLabel: 'Delete client',
      onConfirm: () =>
        remove.mutate(client.id, {
          onSuccess: () => notifySuccess(`${client.name} was deleted. Its orders stay in your account.`),
          onError: (e) => notifyError(e, `Could not delete ${client.name}`),
        }),
    });

  return { sendInvitation, deleteClient, inviting: invite.isPending ? invite.variables : null, deleting: remove.isPending };
}

/** Whether the courier may still invite this client, and what the button says. */
export function inviteLabel(client: Client): string | null {
  if (client.status === 'pending') return 'Invite';
  if (client.status === 'invited') return 'Resend invitation';
  return null;
}
