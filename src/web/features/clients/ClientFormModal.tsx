import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import type { FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { paths } from '../../../shared/paths.ts';
import { FormAlert } from '../../components/FormAlert.tsx';
import { isBlank, looksLikeEmail, useFormState, type FieldErrors } from '../../lib/form.ts';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import type { Client } from '../../lib/types.ts';
import { useCreateClient, useUpdateClient } from './api/clients.ts';

type Values = { name: string; email: string };

function validate(values: Values): FieldErrors<Values> {
  const problems: FieldErrors<Values> = {};
  if (isBlank(values.name)) problems.name = 'Enter the client’s organization name.';
  if (!looksLikeEmail(values.email)) problems.email = 'Enter a valid email address.';
  return problems;
}

/** "Create client": the client starts Pending; nothing is sent until you invite it. */
export function CreateClientModal({ onClose }: { onClose: () => void }) {
  const create = useCreateClient();
  const navigate = useNavigate();
  const form = useFormState<Values>({ name: '', email: '' });
  const { values, errors, setField } = form;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const problems = validate(values);
    form.setErrors(problems);
    form.setFormError(null);
    if (Object.keys(problems).length) return;
    create.mutate(
      { name: values.name.trim(), email: values.email.trim() },
      {
        onSuccess: (client) => {
          notifySuccess(`${client.name} stays Pending until you invite it.`, 'Client created');
          onClose();
          navigate(paths.client(client.id));
        },
        onError: (error) => {
          form.showServerError(error);
          notifyError(error, 'Could not create the client');
        },
      },
    );
  };

  return (
    <Modal opened onClose={onClose} title="Create client">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            The client is created as Pending. Set it up first (for example, which team gets its orders), then send the
            invitation from its page.
          </Text>
          <FormAlert message={form.formError} />
          <TextInput
            label="Organization name"
            withAsterisk
            placeholder="e.g. Corner Bakery"
            value={values.name}
            onChange={(e) => setField('name', e.currentTarget.value)}
            error={errors.name}
            data-autofocus
          />
          <TextInput
            label="Email"
            type="email"
            withAsterisk
            description="The invitation goes to this address; it becomes the client’s sign-in email"
            value={values.email}
            onChange={(e) => setField('email', e.currentTarget.value)}
            error={errors.email}
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create client
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function emailHelp(client: Client): string {
  switch (client.status) {
    case 'active':
      return 'This client has accepted its invitation: a new address takes effect only after the client confirms it through a link emailed to that address.';
    case 'invited':
      return 'A new invitation goes to the new address at once, and the link sent to the old one stops working.';
    default:
      return 'The client has not been invited yet, so the address changes at once.';
  }
}

/** Change a client's organization name or email. */
export function EditClientModal({ client, onClose }: { client: Client; onClose: () => void }) {
  const update = useUpdateClient();
  const form = useFormState<Values>({ name: client.name, email: client.pendingEmail ?? client.email });
  const { values, errors, setField } = form;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const problems = validate(values);
    form.setErrors(problems);
    form.setFormError(null);
    if (Object.keys(problems).length) return;
    const name = values.name.trim();
    const email = values.email.trim();
    const emailChanged = email.toLowerCase() !== (client.pendingEmail ?? client.email).toLowerCase();
    const input = { id: client.id, ...(name !== client.name ? { name } : {}), ...(emailChanged ? { email } : {}) };
    if (Object.keys(input).length === 1) {
      onClose();
      return;
    }
    update.mutate(input, {
      onSuccess: (c) => {
        if (emailChanged && c.pendingEmail) {
          notifySuccess(`A confirmation link was sent to ${c.pendingEmail}. ${c.email} stays in use until the client confirms.`, 'Email awaiting confirmation');
        } else if (emailChanged && c.status === 'invited') {
          notifySuccess(`A new invitation was sent to ${c.email}.`, `${c.name} was saved`);
        } else {
          notifySuccess(`${c.name} was saved.`);
        }
        onClose();
      },
      onError: (error) => {
        form.showServerError(error);
        notifyError(error, 'Could not save the client');
      },
    });
  };

  return (
    <Modal opened onClose={onClose} title={`Edit ${client.name}`}>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <FormAlert message={form.formError} />
          <TextInput
            label="Organization name"
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
            description={emailHelp(client)}
            value={values.email}
            onChange={(e) => setField('email', e.currentTarget.value)}
            error={errors.email}
          />
          {client.pendingEmail ? (
            <Alert color="orange" variant="light" icon={<IconInfoCircle aria-hidden />} title="A change is awaiting confirmation">
              {client.email} stays in use until the client confirms {client.pendingEmail}. To withdraw the change, enter{' '}
              {client.email} again.
            </Alert>
          ) : null}
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
