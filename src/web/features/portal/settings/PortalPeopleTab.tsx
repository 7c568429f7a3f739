import { ActionIcon, Badge, Button, Group, Menu, Modal, Paper, Stack, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { IconDots, IconMailForward, IconTrash, IconUserPlus, IconUsers } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { confirmAction } from '../../../components/confirm.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { FormAlert } from '../../../components/FormAlert.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { isBlank, looksLikeEmail, useFormState, type FieldErrors } from '../../../lib/form.ts';
import { useFormatters } from '../../../lib/format.ts';
import { notifyError, notifySuccess } from '../../../lib/notify.ts';
import { usePermissions, useSession } from '../../../lib/session.tsx';
import type { Admin, AdminStatus } from '../../../lib/types.ts';
import { adminsQuery, useDeleteAdmin, useInviteAdmin, useResendInvitation } from '../../settings/api/admins.ts';

const STATUS: Record<AdminStatus, { label: string; color: string }> = {
  invited: { label: 'Invited', color: 'blue' },
  active: { label: 'Active', color: 'green' },
  deactivated: { label: 'Deactivated', color: 'gray' },
};

/** The people of the client organization: everyone can create and follow orders and manage settings. */
export function PortalPeopleTab() {
  const admins = useQuery(adminsQuery);
  const { canAdminister } = usePermissions();
  const [inviting, setInviting] = useState(false);

  const inviteButton = canAdminister ? (
    <Button leftSection={<IconUserPlus size={18} aria-hidden />} onClick={() => setInviting(true)}>
      Invite person
    </Button>
  ) : null;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Text c="dimmed" size="sm" maw={640}>
          Everyone you invite can create and follow orders and change these settings. Each person signs in with their own
          email and password.
        </Text>
        {inviteButton}
      </Group>
      <QueryState
        query={admins}
        loadingLabel="Loading people…"
        errorTitle="Could not load people"
        isEmpty={(data) => data.length === 0}
        empty={
          <EmptyState icon={<IconUsers size={28} aria-hidden />} title="Nobody here yet" action={inviteButton}>
            Invite the colleagues who send orders with you.
          </EmptyState>
        }
      >
        {(data) => <PeopleTable admins={data} canAdminister={canAdminister} />}
      </QueryState>
      {inviting ? <InviteModal onClose={() => setInviting(false)} /> : null}
    </Stack>
  );
}

function PeopleTable({ admins, canAdminister }: { admins: Admin[]; canAdminister: boolean }) {
  const { user } = useSession();
  const fmt = useFormatters();
  const resend = useResendInvitation();
  const remove = useDeleteAdmin();
  const sorted = [...admins].sort((a, b) => Number(b.isAccountOwner) - Number(a.isAccountOwner) || a.name.localeCompare(b.name));

  const onResend = (a: Admin) =>
    resend.mutate(a.id, {
      onSuccess: () => notifySuccess(`A new invitation was sent to ${a.email}.`),
      onError: (e) => notifyError(e, 'Could not resend the invitation'),
    });

  const onRemove = (a: Admin) =>
    confirmAction({
      title: `Remove ${a.name}?`,
      message:
        a.status === 'invited'
          ? `The invitation sent to ${a.email} stops working.`
          : `${a.name} (${a.email}) is signed out and can no longer sign in to this portal. Orders they created stay.`,
      confirmLabel: 'Remove',
      onConfirm: () =>
        remove.mutate(a.id, {
          onSuccess: () => notifySuccess(`${a.name} was removed.`),
          onError: (e) => notifyError(e, `Could not remove ${a.name}`),
        }),
    });

  return (
    <Paper radius="md">
      <Table.ScrollContainer minWidth={680}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Name</Table.Th>
              <Table.Th scope="col">Email</Table.Th>
              <Table.Th scope="col">Status</Table.Th>
              <Table.Th scope="col">Last sign-in</Table.Th>
              {canAdminister ? (
                <Table.Th scope="col" w={60}>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              ) : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sorted.map((a) => {
              const isMe = a.id === user.id;
              const removable = canAdminister && !a.isAccountOwner && !isMe;
              return (
                <Table.Tr key={a.id}>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Text size="sm" fw={600}>
                        {a.name}
                      </Text>
                      {isMe ? (
                        <Badge size="xs" variant="light" tt="none">
                          You
                        </Badge>
                      ) : null}
                      {a.isAccountOwner ? (
                        <Badge size="xs" variant="light" color="gray" tt="none">
                          Owner
                        </Badge>
                      ) : null}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{a.email}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={STATUS[a.status]?.color ?? 'gray'} tt="none">
                      {STATUS[a.status]?.label ?? a.status}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" title={a.timeLastSignIn ? fmt.dateTime(a.timeLastSignIn) : undefined}>
                      {a.timeLastSignIn ? fmt.relative(a.timeLastSignIn) : 'Never'}
                    </Text>
                  </Table.Td>
                  {canAdminister ? (
                    <Table.Td>
                      {removable ? (
                        <Menu position="bottom-end">
                          <Menu.Target>
                            <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${a.name}`}>
                              <IconDots size={18} aria-hidden />
                            </ActionIcon>
                          </Menu.Target>
                          <Menu.Dropdown>
                            {a.status === 'invited' ? (
                              <Menu.Item leftSection={<IconMailForward size={16} aria-hidden />} onClick={() => onResend(a)}>
                                Resend invitation
                              </Menu.Item>
                            ) : null}
                            <Menu.Item color="red" leftSection={<IconTrash size={16} aria-hidden />} onClick={() => onRemove(a)}>
                              Remove
                            </Menu.Item>
                          </Menu.Dropdown>
                        </Menu>
                      ) : null}
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

type InviteValues = { name: string; email: string };

function InviteModal({ onClose }: { onClose: () => void }) {
  const invite = useInviteAdmin();
  const form = useFormState<InviteValues>({ name: '', email: '' });
  const { values, errors, setField } = form;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const problems: FieldErrors<InviteValues> = {};
    if (isBlank(values.name)) problems.name = 'Enter the person’s name.';
    if (!looksLikeEmail(values.email)) problems.email = 'Enter a valid email address.';
    form.setErrors(problems);
    form.setFormError(null);
    if (Object.keys(problems).length) return;
    // In a client organization everyone is an administrator.
    invite.mutate(
      { name: values.name.trim(), email: values.email.trim(), type: 'super', isReadOnly: false },
      {
        onSuccess: (a) => {
          notifySuccess(`An invitation was sent to ${a.email}.`);
          onClose();
        },
        onError: (error) => {
          form.showServerError(error);
          notifyError(error, 'Could not send the invitation');
        },
      },
    );
  };

  return (
    <Modal opened onClose={onClose} title="Invite a person">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            They receive an email with a link to choose a password.
          </Text>
          <FormAlert message={form.formError} />
          <TextInput
            label="Name"
            withAsterisk
            value={values.name}
            onChange={(e) => setField('name', e.currentTarget.value)}
            error={errors.name}
            data-autofocus
          />
          <TextInput
            label="Email"
            type="email"
            withAsterisk
            value={values.email}
            onChange={(e) => setField('email', e.currentTarget.value)}
            error={errors.email}
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={invite.isPending}>
              Send invitation
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
