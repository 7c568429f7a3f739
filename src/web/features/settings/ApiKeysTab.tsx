import { Alert, Anchor, Button, Code, Group, Modal, Paper, Stack, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { IconAlertTriangle, IconInfoCircle, IconKey, IconPlus, IconTrash } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { paths } from '../../../shared/paths.ts';
import { confirmAction } from '../../components/confirm.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { FormAlert } from '../../components/FormAlert.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { SecretField } from '../../components/SecretField.tsx';
import { isBlank, useFormState } from '../../lib/form.ts';
import { useFormatters } from '../../lib/format.ts';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import { apiKeysQuery } from '../../lib/queries.ts';
import { usePermissions } from '../../lib/session.tsx';
import type { ApiKey, NewApiKey } from '../../lib/types.ts';
import { useCreateApiKey, useRevokeApiKey } from './api/api-keys.ts';

export function ApiKeysTab() {
  const { isAdmin } = usePermissions();
  if (!isAdmin) {
    return (
      <Alert color="blue" variant="light" icon={<IconInfoCircle aria-hidden />} title="For administrators">
        Only administrators can see and manage API keys. Ask one if a system needs access to Baton.
      </Alert>
    );
  }
  return <ApiKeys />;
}

function ApiKeys() {
  const keys = useQuery(apiKeysQuery);
  const { canAdminister } = usePermissions();
  const [creating, setCreating] = useState(false);

  const createButton = canAdminister ? (
    <Button leftSection={<IconPlus size={18} aria-hidden />} onClick={() => setCreating(true)}>
      Create API key
    </Button>
  ) : null;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Text c="dimmed" size="sm" maw={640}>
          API keys let your shop or order system create deliveries through the Onfleet-compatible API. Send the key as
          the user name of HTTP Basic authentication. See the{' '}
          <Anchor href={paths.apiDocs()} target="_blank" rel="noreferrer" underline="always">
            API reference
          </Anchor>
          .
        </Text>
        {createButton}
      </Group>
      <QueryState
        query={keys}
        loadingLabel="Loading API keys…"
        errorTitle="Could not load API keys"
        isEmpty={(data) => data.length === 0}
        empty={
          <EmptyState icon={<IconKey size={28} aria-hidden />} title="No API keys" action={createButton}>
            Create a key for each system that talks to Baton, so that you can revoke one without disturbing the others.
          </EmptyState>
        }
      >
        {(data) => <KeysTable keys={data} canAdminister={canAdminister} />}
      </QueryState>
      {creating ? <CreateKeyModal onClose={() => setCreating(false)} /> : null}
    </Stack>
  );
}

function KeysTable({ keys, canAdminister }: { keys: ApiKey[]; canAdminister: boolean }) {
  const fmt = useFormatters();
  const revoke = useRevokeApiKey();
  const sorted = [...keys].sort((a, b) => b.timeCreated - a.timeCreated);

  const onRevoke = (key: ApiKey) =>
    confirmAction({
      title: `Revoke “${key.name}”?`,
      message: 'Requests that use this key will be refused from now on. This cannot be undone.',
      confirmLabel: 'Revoke key',
      onConfirm: () =>
        revoke.mutate(key.id, {
          onSuccess: () => notifySuccess(`The key “${key.name}” was revoked.`),
          onError: (e) => notifyError(e, 'Could not revoke the key'),
        }),
    });

  return (
    <Paper radius="md">
      <Table.ScrollContainer minWidth={640}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Name</Table.Th>
              <Table.Th scope="col">Key</Table.Th>
              <Table.Th scope="col">Last used</Table.Th>
              <Table.Th scope="col">Created</Table.Th>
              {canAdminister ? (
                <Table.Th scope="col" w={110}>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              ) : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sorted.map((k) => (
              <Table.Tr key={k.id}>
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {k.name}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Code>{k.prefix}…</Code>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" title={k.lastUsed ? fmt.dateTime(k.lastUsed) : undefined}>
                    {k.lastUsed ? fmt.relative(k.lastUsed) : 'Never'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{fmt.date(k.timeCreated)}</Text>
                </Table.Td>
                {canAdminister ? (
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      leftSection={<IconTrash size={14} aria-hidden />}
                      onClick={() => onRevoke(k)}
                      aria-label={`Revoke ${k.name}`}
                    >
                      Revoke
                    </Button>
                  </Table.Td>
                ) : null}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

function CreateKeyModal({ onClose }: { onClose: () => void }) {
  const create = useCreateApiKey();
  const form = useFormState({ name: '' });
  const [created, setCreated] = useState<NewApiKey | null>(null);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const name = form.values.name.trim();
    if (isBlank(name)) {
      form.setErrors({ name: 'Name the key after the system that will use it.' });
      return;
    }
    form.setFormError(null);
    create.mutate(
      { name },
      {
        onSuccess: (key) => {
          setCreated(key);
          notifySuccess(`The key “${key.name}” was created.`);
        },
        onError: (error) => {
          form.showServerError(error);
          notifyError(error, 'Could not create the key');
        },
      },
    );
  };

  if (created) {
    return (
      <Modal opened onClose={onClose} title="Your new API key" closeOnClickOutside={false} size="lg">
        <Stack gap="md">
          <Alert color="yellow" variant="light" icon={<IconAlertTriangle aria-hidden />} title="Copy it now">
            This is the only time the key is shown. Store it somewhere safe: you won’t see it again. If you lose it,
            revoke it and create a new one.
          </Alert>
          <SecretField label={`API key “${created.name}”`} value={created.key} />
          <Group justify="flex-end">
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      </Modal>
    );
  }

  return (
    <Modal opened onClose={onClose} title="Create API key">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <FormAlert message={form.formError} />
          <TextInput
            label="Key name"
            withAsterisk
            placeholder="e.g. Web shop"
            description="Name it after the system that will use it"
            value={form.values.name}
            onChange={(e) => form.setField('name', e.currentTarget.value)}
            error={form.errors.name}
            data-autofocus
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create key
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
