import { ActionIcon, Badge, Button, Group, Menu, Modal, Paper, Select, Stack, Switch, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import {
  IconDots,
  IconMailForward,
  IconPencil,
  IconPlayerPause,
  IconPlayerPlay,
  IconTrash,
  IconUserPlus,
  IconUsers,
} from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { confirmAction } from '../../components/confirm.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { FormAlert } from '../../components/FormAlert.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { isBlank, looksLikeEmail, useFormState, type FieldErrors } from '../../lib/form.ts';
import { useFormatters } from '../../lib/format.ts';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import { usePermissions, useSession } from '../../lib/session.tsx';
import type { Admin, AdminStatus } from '../../lib/types.ts';
import {
  adminsQuery,
  useActivateAdmin,
  useDeactivateAdmin,
  useDeleteAdmin,
  useInviteAdmin,
  useResendInvitation,
  useUpdateAdmin,
  type InviteAdminInput,
} from './api/admins.ts';

const ROLE_OPTIONS = [
  { value: 'super', label: 'Administrator' },
  { value: 'standard', label: 'Dispatcher' },
];

const STATUS: Record<AdminStatus, { label: string; color: string }> = {
  invited: { label: 'Invited', color: 'blue' },
  active: { label: 'Active', color: 'green' },
  deactivated: { label: 'Deactivated', color: 'gray' },
};

function roleOf(admin: Admin): string {
  if (admin.isAccountOwner) return 'Owner';
  return admin.type === 'super' ? 'Administrator' : 'Dispatcher';
}

type Dialog = { kind: 'invite' } | { kind: 'edit'; admin: Admin } | null;

export function PeopleTab() {
  const admins = useQuery(adminsQuery);
  const { canAdminister } = usePermissions();
  const [dialog, setDialog] = useState<Dialog>(null);

  const inviteButton = canAdminister ? (
    <Button leftSection={<IconUserPlus size={18} aria-hidden />} onClick={() => setDialog({ kind: 'invite' })}>
      Invite person
    </Button>
  ) : null;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Text c="dimmed" size="sm" maw={640}>
          Administrators manage settings, people and API keys. Dispatchers run the day’s deliveries. Read-only accounts
          can look but not change anything.
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
            Invite the people who dispatch deliveries with you.
          </EmptyState>
        }
      >
        {(data) => <PeopleTable admins={data} canAdminister={canAdminister} onEdit={(admin) => setDialog({ kind: 'edit', admin })} />}
      </QueryState>
      {dialog?.kind === 'invite' ? <InviteModal onClose={() => setDialog(null)} /> : null}
      {dialog?.kind === 'edit' ? <EditModal admin={dialog.admin} onClose={() => setDialog(null)} /> : null}
    </Stack>
  );
}

function PeopleTable({ admins, canAdminister, onEdit }: { admins: Admin[]; canAdminister: boolean; onEdit: (a: Admin) => void }) {
  const { user } = useSession();
  const fmt = useFormatters();
  const deactivate = useDeactivateAdmin();
  const activate = useActivateAdmin();
  const resend = useResendInvitation();
  const remove = useDeleteAdmin();
  const sorted = [...admins].sort((a, b) => Number(b.isAccountOwner) - Number(a.isAccountOwner) || a.name.localeCompare(b.name));

  const onDeactivate = (a: Admin) =>
    confirmAction({
      title: `Deactivate ${a.name}?`,
      message: `${a.name} will be signed out and can no longer sign in until reactivated.`,
      confirmLabel: 'Deactivate',
      onConfirm: () =>
        deactivate.mutate(a.id, {
          onSuccess: () => notifySuccess(`${a.name} was deactivated.`),
          onError: (e) => notifyError(e, `Could not deactivate ${a.name}`),
        }),
    });

  const onActivate = (a: Admin) =>
    activate.mutate(a.id, {
      onSuccess: () => notifySuccess(`${a.name} can sign in again.`),
      onError: (e) => notifyError(e, `Could not reactivate ${a.name}`),
    });

  const onResend = (a: Admin) =>
    resend.mutate(a.id, {
      onSuccess: () => notifySuccess(`A new invitation was sent to ${a.email}.`),
      onError: (e) => notifyError(e, 'Could not resend the invitation'),
    });

  const onDelete = (a: Admin) =>
    confirmAction({
      title: `Delete ${a.name}?`,
      message: `${a.name} (${a.email}) will lose access to the dashboard for good. This cannot be undone.`,
      confirmLabel: 'Delete',
      onConfirm: () =>
        remove.mutate(a.id, {
          onSuccess: () => notifySuccess(`${a.name} was deleted.`),
          onError: (e) => notifyError(e, `Could not delete ${a.name}`),
        }),
    });

  return (
    <Paper radius="md">
      <Table.ScrollContainer minWidth={860}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Name</Table.Th>
              <Table.Th scope="col">Email</Table.Th>
              <Table.Th scope="col">Role</Table.Th>
              <Table.Th scope="col">Read-only</Table.Th>
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
              const editable = canAdminister && !a.isAccountOwner;
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
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{a.email}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{roleOf(a)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{a.isReadOnly ? 'Yes' : 'No'}</Text>
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
                      {editable ? (
                        <Menu position="bottom-end">
                          <Menu.Target>
                            <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${a.name}`}>
                              <IconDots size={18} aria-hidden />
                            </ActionIcon>
                          </Menu.Target>
                          <Menu.Dropdown>
                            <Menu.Item leftSection={<IconPencil size={16} aria-hidden />} onClick={() => onEdit(a)}>
                              Edit
                            </Menu.Item>
                            {a.status === 'invited' ? (
                              <Menu.Item leftSection={<IconMailForward size={16} aria-hidden />} onClick={() => onResend(a)}>
                                Resend invitation
                              </Menu.Item>
                            ) : null}
                            {a.status === 'deactivated' ? (
                              <Menu.Item leftSection={<IconPlayerPlay size={16} aria-hidden />} onClick={() => onActivate(a)}>
                                Reactivate
                              </Menu.Item>
                            ) : !isMe ? (
                              <Menu.Item leftSection={<IconPlayerPause size={16} aria-hidden />} onClick={() => onDeactivate(a)}>
                                Deactivate
                              </Menu.Item>
                            ) : null}
                            {!isMe ? (
                              <Menu.Item color="red" leftSection={<IconTrash size={16} aria-hidden />} onClick={() => onDelete(a)}>
                                Delete
                              </Menu.Item>
                            ) : null}
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

function InviteModal({ onClose }: { onClose: () => void }) {
  const invite = useInviteAdmin();
  const form = useFormState<InviteAdminInput>({ name: '', email: '', type: 'standard', isReadOnly: false });
  const { values, errors, setField } = form;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const problems: FieldErrors<InviteAdminInput> = {};
    if (isBlank(values.name)) problems.name = 'Enter the person’s name.';
    if (!looksLikeEmail(values.email)) problems.email = 'Enter a valid email address.';
    form.setErrors(problems);
    form.setFormError(null);
    if (Object.keys(problems).length) return;
    invite.mutate(
      { ...values, name: values.name.trim(), email: values.email.trim() },
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
          <Select
            label="Role"
            data={ROLE_OPTIONS}
            value={values.type}
            onChange={(v) => v && setField('type', v as InviteAdminInput['type'])}
            allowDeselect={false}
            error={errors.type}
            description="Administrators can also manage settings, people and API keys"
          />
          <Switch
            label="Read-only"
            description="Can see everything but change nothing"
            checked={values.isReadOnly}
            onChange={(e) => setField('isReadOnly', e.currentTarget.checked)}
            error={errors.isReadOnly}
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

type EditValues = { name: string; type: 'super' | 'standard'; isReadOnly: boolean };

function EditModal({ admin, onClose }: { admin: Admin; onClose: () => void }) {
  const update = useUpdateAdmin();
  const form = useFormState<EditValues>({ name: admin.name, type: admin.type, isReadOnly: admin.isReadOnly });
  const { values, errors, setField } = form;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (isBlank(values.name)) {
      form.setErrors({ name: 'Enter the person’s name.' });
      return;
    }
    form.setFormError(null);
    update.mutate(
      { id: admin.id, name: values.name.trim(), type: values.type, isReadOnly: values.isReadOnly },
      {
        onSuccess: () => {
          notifySuccess(`${values.name.trim()} was saved.`);
          onClose();
        },
        onError: (error) => {
          form.showServerError(error);
          notifyError(error, 'Could not save the changes');
        },
      },
    );
  };

  return (
    <Modal opened onClose={onClose} title={`Edit ${admin.name}`}>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <FormAlert message={form.formError} />
          <TextInput label="Email" value={admin.email} readOnly description="The email address cannot be changed" />
          <TextInput
            label="Name"
            withAsterisk
            value={values.name}
            onChange={(e) => setField('name', e.currentTarget.value)}
            error={errors.name}
            data-autofocus
          />
          <Select
            label="Role"
            data={ROLE_OPTIONS}
            value={values.type}
            onChange={(v) => v && setField('type', v as EditValues['type'])}
            allowDeselect={false}
            error={errors.type}
          />
          <Switch
            label="Read-only"
            description="Can see everything but change nothing"
            checked={values.isReadOnly}
            onChange={(e) => setField('isReadOnly', e.currentTarget.checked)}
            error={errors.isReadOnly}
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={update.isPending}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
