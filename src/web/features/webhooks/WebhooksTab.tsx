import { ActionIcon, Alert, Anchor, Button, Code, Group, Loader, Paper, Stack, Switch, Table, Text, Title, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconAlertTriangle, IconHistory, IconInfoCircle, IconPencil, IconPlus, IconPower, IconTrash, IconWebhook } from '@tabler/icons-react';
import { useMutationState, useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { paths } from '../../../shared/paths.ts';
import { confirmAction } from '../../components/confirm.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { errorMessage } from '../../lib/api.ts';
import { useFormatters } from '../../lib/format.ts';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import { usePermissions, useSession } from '../../lib/session.tsx';
import { toggleKey, useDeleteWebhook, useToggleWebhook, webhooksQuery, type Webhook } from './api/webhooks.ts';
import { DeliveryLogDrawer } from './DeliveryLogDrawer.tsx';
import { RotateSecretButton } from './SigningSecret.tsx';
import { RefreshProblem } from './RefreshProblem.tsx';
import { StatusBadge } from './StatusBadge.tsx';
import { AddWebhookModal, EditWebhookModal } from './WebhookFormModal.tsx';
import { thresholdText, triggerLabel } from './webhook-text.ts';

type Dialog = { kind: 'add' } | { kind: 'edit'; webhook: Webhook } | null;

/** Why turning a webhook on or off failed (usually the URL check, error 1008), by webhook id. */
type ToggleError = { title: string; message: string };
type EnableErrors = Record<string, ToggleError>;
type SetError = (id: string, error: ToggleError | null) => void;

/** Settings → Webhooks (courier dashboard and client portal): the organization's webhooks and their delivery logs. */
export function WebhooksTab() {
  const { organization, user } = useSession();
  const { canAdminister } = usePermissions();
  // The server lets administrators who are not read-only change webhooks; everyone may look.
  const canChange = canAdminister;
  const isClient = organization.kind === 'client';
  const [params, setParams] = useSearchParams();
  const logId = params.get('webhook');
  const webhooks = useQuery({ ...webhooksQuery, refetchInterval: logId ? 5_000 : 30_000 });
  const [dialog, setDialog] = useState<Dialog>(null);
  const [enableErrors, setEnableErrors] = useState<EnableErrors>({});

  const openLog = (id: string | null) => {
    const p = new URLSearchParams(params);
    if (id) p.set('webhook', id);
    else p.delete('webhook');
    setParams(p, { replace: !id });
  };
  const setEnableError: SetError = (id, error) =>
    setEnableErrors((e) => {
      const { [id]: _, ...rest } = e;
      return error ? { ...rest, [id]: error } : rest;
    });

  const openWebhook = logId ? (webhooks.data?.find((w) => w.id === logId) ?? null) : null;

  const addButton = canChange ? (
    <Button leftSection={<IconPlus size={18} aria-hidden />} onClick={() => setDialog({ kind: 'add' })}>
      Add webhook
    </Button>
  ) : null;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" gap="md">
        <Text size="sm" c="dimmed" maw={760}>
          Webhooks send events to your own systems as they happen: Baton POSTs a JSON body, in Onfleet’s format, to each
          webhook whose trigger matches.{' '}
          {isClient ? (
            <Text span size="sm" fw={600} c="var(--mantine-color-text)">
              You receive events about the tasks of your own orders only.{' '}
            </Text>
          ) : null}
          Your endpoint should answer with a 2xx status; otherwise Baton tries again with growing pauses and, if deliveries
          keep failing for about a day, turns the webhook off. See the{' '}
          <Anchor href={paths.apiDocs()} target="_blank" rel="noreferrer" size="sm" underline="always">
            API reference
          </Anchor>
          .
        </Text>
        {addButton}
      </Group>
      {!canChange ? (
        <Alert color="blue" variant="light" icon={<IconInfoCircle aria-hidden />}>
          {user.isReadOnly
            ? 'Your account is read-only: you can see the webhooks and their delivery logs, but not change them.'
            : 'Only administrators can add, change or delete webhooks. You can see them and their delivery logs.'}
        </Alert>
      ) : null}
      <SigningSecretInfo canChange={canChange} hasWebhooks={(webhooks.data?.length ?? 0) > 0} />
      {webhooks.isError && webhooks.data ? <RefreshProblem error={webhooks.error} what="the webhooks" /> : null}
      <QueryState
        // A failed refresh keeps what was shown, with the warning above.
        query={{ ...webhooks, isError: webhooks.isError && !webhooks.data }}
        loadingLabel="Loading webhooks…"
        errorTitle="Could not load the webhooks"
        isEmpty={(data) => data.length === 0}
        empty={
          <EmptyState icon={<IconWebhook size={28} aria-hidden />} title="No webhooks yet" action={addButton}>
            Add a webhook to have Baton tell your systems when, for example, a task is created or completed.
          </EmptyState>
        }
      >
        {(data) => (
          <Stack gap="md">
            <TurnedOffAlerts
              webhooks={data.filter((w) => !w.isEnabled && w.disabledReason)}
              canChange={canChange}
              errors={enableErrors}
              setError={setEnableError}
              onOpenLog={openLog}
            />
            <WebhooksTable
              webhooks={data}
              canChange={canChange}
              errors={enableErrors}
              setError={setEnableError}
              onOpenLog={openLog}
              onEdit={(webhook) => setDialog({ kind: 'edit', webhook })}
            />
          </Stack>
        )}
      </QueryState>
      <DeliveryLogDrawer webhook={openWebhook} onClose={() => openLog(null)} canChange={canChange} />
      {dialog?.kind === 'add' ? <AddWebhookModal onClose={() => setDialog(null)} /> : null}
      {dialog?.kind === 'edit' ? <EditWebhookModal webhook={dialog.webhook} onClose={() => setDialog(null)} /> : null}
    </Stack>
  );
}

function SigningSecretInfo({ canChange, hasWebhooks }: { canChange: boolean; hasWebhooks: boolean }) {
  return (
    <Paper withBorder radius="md" p="md">
      <Group justify="space-between" align="flex-start" gap="md" wrap="nowrap">
        <Stack gap={6} style={{ flex: 1, minWidth: 0 }}>
          <Title order={3} fz="md">
            Checking that a delivery comes from Baton
          </Title>
          <Text size="sm">
            Each delivery carries the header <Code>X-Onfleet-Signature</Code>: the hex HMAC-SHA512 of the raw request body,
            keyed with the bytes of your signing secret (hex-decode it first). Compute it over the body exactly as received and
            compare, for example in Node.js:{' '}
            <Code>{"crypto.createHmac('sha512', Buffer.from(secret, 'hex')).update(rawBody).digest('hex')"}</Code>
          </Text>
          <Text size="sm" c="dimmed">
            One secret signs all your webhooks. It is shown only once, when it is rotated: to get one — for example after
            adding your first webhook — rotate it{canChange ? '' : ' (an administrator can)'}.
          </Text>
        </Stack>
        {canChange ? <RotateSecretButton hasWebhooks={hasWebhooks} /> : null}
      </Group>
    </Paper>
  );
}

/** Turns one webhook on or off; the same state everywhere it is shown. */
function useToggle(webhook: Webhook, setError: SetError) {
  const toggle = useToggleWebhook(webhook.id);
  const pending = useMutationState({
    filters: { mutationKey: toggleKey(webhook.id), status: 'pending' },
    select: (m) => m.state.variables as boolean,
  });
  const busy = pending.length > 0;
  const checked = busy ? pending[pending.length - 1] : webhook.isEnabled;

  const set = (isEnabled: boolean) => {
    setError(webhook.id, null);
    toggle.mutate(isEnabled, {
      onSuccess: (w) =>
        notifySuccess(
          w.isEnabled ? `The URL passed the check; Baton sends events to “${w.name}” again.` : `Baton no longer sends events to “${w.name}”.`,
          `Webhook ${w.isEnabled ? 'on' : 'off'}`,
        ),
      onError: (error) => {
        // Shown next to the control until dismissed: the URL check's answer is worth reading.
        setError(webhook.id, { title: `Could not turn “${webhook.name}” ${isEnabled ? 'back on' : 'off'}`, message: errorMessage(error) });
      },
    });
  };
  return { busy, checked, set };
}

function TurnedOffAlerts({
  webhooks,
  canChange,
  errors,
  setError,
  onOpenLog,
}: {
  webhooks: Webhook[];
  canChange: boolean;
  errors: EnableErrors;
  setError: SetError;
  onOpenLog: (id: string) => void;
}) {
  if (webhooks.length === 0) return null;
  return (
    <Stack gap="sm">
      {webhooks.map((w) => (
        <TurnedOffAlert key={w.id} webhook={w} canChange={canChange} error={errors[w.id]} setError={setError} onOpenLog={onOpenLog} />
      ))}
    </Stack>
  );
}

function TurnedOffAlert({
  webhook: w,
  canChange,
  error,
  setError,
  onOpenLog,
}: {
  webhook: Webhook;
  canChange: boolean;
  error?: ToggleError;
  setError: SetError;
  onOpenLog: (id: string) => void;
}) {
  const toggle = useToggle(w, setError);
  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle aria-hidden />} title={`Baton turned off the webhook “${w.name}”`}>
      <Stack gap="sm" align="flex-start">
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          {w.disabledReason}
        </Text>
        <Text size="sm">
          No events are sent to it until it is turned back on. Fix the receiver first: turning it on checks the URL again, then
          the deliveries it missed are sent.
        </Text>
        {error ? <EnableError error={error} onDismiss={() => setError(w.id, null)} /> : null}
        <Group gap="sm">
          {canChange ? (
            <Button size="xs" color="red" leftSection={<IconPower size={14} aria-hidden />} loading={toggle.busy} onClick={() => toggle.set(true)}>
              Turn “{w.name}” back on
            </Button>
          ) : null}
          <Button size="xs" variant="white" color="red" leftSection={<IconHistory size={14} aria-hidden />} onClick={() => onOpenLog(w.id)}>
            Open its delivery log
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

function EnableError({ error, onDismiss }: { error: ToggleError; onDismiss: () => void }) {
  return (
    <Alert
      color="red"
      variant="outline"
      icon={<IconAlertTriangle aria-hidden />}
      title={error.title}
      role="alert"
      withCloseButton
      closeButtonLabel="Dismiss this error"
      onClose={onDismiss}
      w="100%"
      bg="var(--mantine-color-body)"
    >
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        {error.message}
      </Text>
    </Alert>
  );
}

function WebhooksTable({
  webhooks,
  canChange,
  errors,
  setError,
  onOpenLog,
  onEdit,
}: {
  webhooks: Webhook[];
  canChange: boolean;
  errors: EnableErrors;
  setError: SetError;
  onOpenLog: (id: string) => void;
  onEdit: (webhook: Webhook) => void;
}) {
  const sorted = [...webhooks].sort((a, b) => a.timeCreated - b.timeCreated);
  return (
    <Paper radius="md">
      <Table.ScrollContainer minWidth={900}>
        <Table verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Name and URL</Table.Th>
              <Table.Th scope="col" miw={200}>
                Trigger
              </Table.Th>
              <Table.Th scope="col" miw={150}>
                Status
              </Table.Th>
              <Table.Th scope="col" ta="right">
                Deliveries
              </Table.Th>
              <Table.Th scope="col">Created</Table.Th>
              <Table.Th scope="col">
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sorted.map((w) => (
              <WebhookRow
                key={w.id}
                webhook={w}
                canChange={canChange}
                // A webhook Baton turned off shows its error in its alert above.
                error={w.disabledReason ? undefined : errors[w.id]}
                setError={setError}
                onOpenLog={onOpenLog}
                onEdit={onEdit}
              />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

function WebhookRow({
  webhook: w,
  canChange,
  error,
  setError,
  onOpenLog,
  onEdit,
}: {
  webhook: Webhook;
  canChange: boolean;
  error?: ToggleError;
  setError: SetError;
  onOpenLog: (id: string) => void;
  onEdit: (webhook: Webhook) => void;
}) {
  const fmt = useFormatters();
  const toggle = useToggle(w, setError);
  const remove = useDeleteWebhook();
  const condition = thresholdText(w.trigger, w.threshold);

  const onDelete = () =>
    confirmAction({
      title: `Delete the webhook “${w.name}”?`,
      message: 'Baton stops sending events to its URL, and its delivery log is deleted with it. This cannot be undone.',
      confirmLabel: 'Delete webhook',
      onConfirm: () =>
        remove.mutate(w.id, {
          onSuccess: () => notifySuccess(`The webhook “${w.name}” was deleted.`),
          onError: (e) => notifyError(e, 'Could not delete the webhook'),
        }),
    });

  let status: ReactNode = <StatusBadge webhook={w} />;
  if (canChange) {
    status = (
      <Group gap="xs" wrap="nowrap">
        <Switch
          checked={toggle.checked}
          disabled={toggle.busy}
          onChange={(e) => toggle.set(e.currentTarget.checked)}
          aria-label={`Send events to ${w.name}`}
          thumbIcon={toggle.busy ? <Loader size={10} aria-hidden /> : undefined}
        />
        <StatusBadge webhook={w} />
      </Group>
    );
  }

  return (
    <>
      <Table.Tr>
        <Table.Td maw={380}>
          <Text size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>
            {w.name}
          </Text>
          <Text size="xs" ff="monospace" c="dimmed" lineClamp={2} title={w.url} style={{ wordBreak: 'break-all' }}>
            {w.url}
          </Text>
        </Table.Td>
        <Table.Td>
          <Text size="sm">{triggerLabel(w.trigger)}</Text>
          {condition ? (
            <Text size="xs" c="dimmed">
              {condition}
            </Text>
          ) : null}
        </Table.Td>
        <Table.Td>
          <Stack gap={2}>
            {status}
            {toggle.busy && !w.isEnabled ? (
              <Text size="xs" c="dimmed">
                Checking the URL…
              </Text>
            ) : w.disabledReason ? (
              <Text size="xs" c="red.7" fw={500} style={{ whiteSpace: 'nowrap' }}>
                Turned off by Baton
              </Text>
            ) : null}
          </Stack>
        </Table.Td>
        <Table.Td ta="right">
          <Text size="sm">{w.count.toLocaleString()}</Text>
        </Table.Td>
        <Table.Td>
          <Text size="sm" title={fmt.dateTime(w.timeCreated)} style={{ whiteSpace: 'nowrap' }}>
            {fmt.date(w.timeCreated)}
          </Text>
        </Table.Td>
        <Table.Td>
          <Group gap={4} wrap="nowrap" justify="flex-end">
            <Button
              size="xs"
              variant="light"
              leftSection={<IconHistory size={14} aria-hidden />}
              onClick={() => onOpenLog(w.id)}
              aria-label={`Delivery log of ${w.name}`}
            >
              Delivery log
            </Button>
            {canChange ? (
              <>
                <Tooltip label="Edit" withArrow>
                  <ActionIcon variant="subtle" color="gray" size="lg" aria-label={`Edit ${w.name}`} onClick={() => onEdit(w)}>
                    <IconPencil size={18} aria-hidden />
                  </ActionIcon>
                </Tooltip>
                <Tooltip label="Delete" withArrow>
                  <ActionIcon variant="subtle" color="red" size="lg" aria-label={`Delete ${w.name}`} onClick={onDelete} loading={remove.isPending}>
                    <IconTrash size={18} aria-hidden />
                  </ActionIcon>
                </Tooltip>
              </>
            ) : null}
          </Group>
        </Table.Td>
      </Table.Tr>
      {error ? (
        <Table.Tr>
          <Table.Td colSpan={6} pt={0}>
            <EnableError error={error} onDismiss={() => setError(w.id, null)} />
          </Table.Td>
        </Table.Tr>
      ) : null}
    </>
  );
}

