import { Button, Code, Group, Loader, Modal, NumberInput, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { useRef, type FormEvent } from 'react';
import { FormAlert } from '../../components/FormAlert.tsx';
import { ApiError } from '../../lib/api.ts';
import { isBlank, useFormState, type FieldErrors } from '../../lib/form.ts';
import { notifySuccess } from '../../lib/notify.ts';
import { useSession } from '../../lib/session.tsx';
import { useCreateWebhook, useUpdateWebhook, type Webhook } from './api/webhooks.ts';
import { THRESHOLDS, thresholdFromForm, thresholdToForm, TRIGGER_ORDER, TRIGGERS, triggerLabel } from './webhook-text.ts';

type Values = { url: string; name: string; trigger: string | null; threshold: number | string };

/** Problems with a URL the browser can spot before the server checks it. */
function urlProblem(raw: string): string | null {
  if (isBlank(raw)) return 'Enter the address Baton should send the events to.';
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return 'Enter a full address, starting with https:// (or http://).';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'The address must start with https:// or http://.';
  return null;
}

function thresholdProblem(trigger: number, value: number | string): string | null {
  const spec = THRESHOLDS[trigger];
  if (!spec) return null;
  if (value === '' || typeof value !== 'number' || Number.isNaN(value)) return `Enter a number of ${spec.unit}.`;
  if (value < spec.min || value > spec.max) return `Enter between ${spec.min} and ${spec.max.toLocaleString()} ${spec.unit}.`;
  return null;
}

function ThresholdInput({ trigger, value, error, onChange }: { trigger: number; value: number | string; error?: string; onChange: (v: number | string) => void }) {
  const spec = THRESHOLDS[trigger];
  if (!spec) return null;
  return (
    <NumberInput
      label={spec.label}
      description={spec.description}
      withAsterisk
      min={spec.min}
      max={spec.max}
      allowNegative={false}
      decimalScale={spec.unit === 'minutes' ? 1 : 0}
      suffix={spec.unit === 'minutes' ? ' min' : ' m'}
      value={value}
      onChange={onChange}
      error={error}
    />
  );
}

/** Add a webhook: URL (checked by the server with the `check` handshake), name, trigger and threshold. */
export function AddWebhookModal({ onClose }: { onClose: () => void }) {
  const { organization } = useSession();
  const isClient = organization.kind === 'client';
  const create = useCreateWebhook();
  const urlRef = useRef<HTMLInputElement>(null);
  const form = useFormState<Values>({ url: '', name: '', trigger: null, threshold: '' });
  const { values, errors, setField } = form;
  const trigger = values.trigger === null ? null : Number(values.trigger);

  const options = TRIGGER_ORDER.filter((id) => !(isClient && TRIGGERS[id].worker));
  const data = [
    { group: 'Tasks', items: options.filter((id) => !TRIGGERS[id].worker).map((id) => ({ value: String(id), label: triggerLabel(id) })) },
    ...(isClient
      ? []
      : [{ group: 'Drivers', items: options.filter((id) => TRIGGERS[id].worker).map((id) => ({ value: String(id), label: triggerLabel(id) })) }]),
  ];

  const chooseTrigger = (value: string | null) => {
    setField('trigger', value);
    const id = value === null ? null : Number(value);
    // Start from the server's default in the form's unit.
    setField('threshold', id !== null && THRESHOLDS[id] ? thresholdToForm(id, undefined) : '');
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const problems: FieldErrors<Values> = {};
    const badUrl = urlProblem(values.url);
    if (badUrl) problems.url = badUrl;
    if (isBlank(values.name)) problems.name = 'Name the webhook, for example after the system that receives it.';
    if (trigger === null) problems.trigger = 'Choose the event that sends this webhook.';
    else {
      const badThreshold = thresholdProblem(trigger, values.threshold);
      if (badThreshold) problems.threshold = badThreshold;
    }
    form.setErrors(problems);
    form.setFormError(null);
    if (Object.keys(problems).length || trigger === null) return;
    create.mutate(
      {
        url: values.url.trim(),
        name: values.name.trim(),
        trigger,
        ...(THRESHOLDS[trigger] ? { threshold: thresholdFromForm(trigger, values.threshold as number) } : {}),
      },
      {
        onSuccess: (webhook) => {
          notifySuccess(`Baton now sends “${TRIGGERS[webhook.trigger]?.name ?? webhook.trigger}” events to it.`, `Webhook “${webhook.name}” added`);
          onClose();
        },
        onError: (error) => {
          form.showServerError(error);
          // The URL check's answer (error 1008) is shown at the URL field: take the person there.
          if (error instanceof ApiError && error.fieldProblems.some((p) => p.field === 'url')) {
            requestAnimationFrame(() => urlRef.current?.focus());
          }
        },
      },
    );
  };

  const spec = trigger !== null ? THRESHOLDS[trigger] : undefined;

  return (
    <Modal opened onClose={onClose} title="Add webhook" size="lg" closeOnClickOutside={!create.isPending}>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <FormAlert message={form.formError} title="The webhook was not added" />
          <TextInput
            ref={urlRef}
            label="URL"
            withAsterisk
            type="url"
            inputMode="url"
            autoComplete="off"
            spellCheck={false}
            placeholder="https://example.com/baton-webhook"
            description={
              <>
                Before saving, Baton checks the address: it sends <Code fz="xs">GET</Code> to it with a query parameter{' '}
                <Code fz="xs">?check=</Code> holding a random value, and your endpoint must answer <b>200</b> with exactly that
                value as the whole body. Events then arrive as signed <Code fz="xs">POST</Code> requests with a JSON body.
              </>
            }
            value={values.url}
            onChange={(e) => setField('url', e.currentTarget.value)}
            error={errors.url}
            errorProps={{ role: 'alert', fz: 'sm', style: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' } }}
            data-autofocus
          />
          <TextInput
            label="Name"
            withAsterisk
            placeholder="e.g. Order system"
            description="For you: shown in the list and the delivery log."
            maxLength={200}
            value={values.name}
            onChange={(e) => setField('name', e.currentTarget.value)}
            error={errors.name}
          />
          <Select
            label="Trigger"
            withAsterisk
            placeholder="Choose an event"
            description={
              trigger !== null && TRIGGERS[trigger]
                ? `${TRIGGERS[trigger].description} Onfleet name: ${TRIGGERS[trigger].key}.`
                : isClient
                  ? 'The event that sends this webhook. You receive events of your own orders’ tasks only.'
                  : 'The event that sends this webhook.'
            }
            data={data}
            value={values.trigger}
            onChange={chooseTrigger}
            allowDeselect={false}
            searchable
            nothingFoundMessage="No such trigger"
            maxDropdownHeight={320}
            comboboxProps={{ withinPortal: true }}
            error={errors.trigger}
          />
          {spec && trigger !== null ? (
            <ThresholdInput trigger={trigger} value={values.threshold} error={errors.threshold} onChange={(v) => setField('threshold', v)} />
          ) : null}
          <Group justify="flex-end" gap="sm">
            {create.isPending ? (
              <Group gap={6} mr="auto" role="status">
                <Loader size="xs" aria-hidden />
                <Text size="sm" c="dimmed">
                  Checking the URL…
                </Text>
              </Group>
            ) : null}
            <Button variant="default" onClick={onClose} disabled={create.isPending}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Add webhook
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

type EditValues = { name: string; threshold: number | string };

/** Rename a webhook or change its threshold; the URL and the trigger stay as they are. */
export function EditWebhookModal({ webhook, onClose }: { webhook: Webhook; onClose: () => void }) {
  const update = useUpdateWebhook();
  const hasThreshold = !!THRESHOLDS[webhook.trigger];
  const initialThreshold = hasThreshold ? thresholdToForm(webhook.trigger, webhook.threshold) : '';
  const form = useFormState<EditValues>({ name: webhook.name, threshold: initialThreshold });
  const { values, errors, setField } = form;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const problems: FieldErrors<EditValues> = {};
    if (isBlank(values.name)) problems.name = 'Name the webhook.';
    const badThreshold = thresholdProblem(webhook.trigger, values.threshold);
    if (badThreshold) problems.threshold = badThreshold;
    form.setErrors(problems);
    form.setFormError(null);
    if (Object.keys(problems).length) return;
    const name = values.name.trim();
    const threshold = hasThreshold ? thresholdFromForm(webhook.trigger, values.threshold as number) : undefined;
    const input = {
      ...(name !== webhook.name ? { name } : {}),
      ...(threshold !== undefined && values.threshold !== initialThreshold ? { threshold } : {}),
    };
    if (Object.keys(input).length === 0) {
      onClose();
      return;
    }
    update.mutate(
      { id: webhook.id, ...input },
      {
        onSuccess: (w) => {
          notifySuccess(`The webhook “${w.name}” was saved.`);
          onClose();
        },
        onError: (error) => form.showServerError(error),
      },
    );
  };

  return (
    <Modal opened onClose={onClose} title={`Edit webhook “${webhook.name}”`} size="lg">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <FormAlert message={form.formError} title="The webhook was not saved" />
          <Paper withBorder radius="md" p="sm" bg="gray.0">
            <Stack gap={4}>
              <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                <Text span size="sm" fw={600}>
                  URL:{' '}
                </Text>
                {webhook.url}
              </Text>
              <Text size="sm">
                <Text span size="sm" fw={600}>
                  Trigger:{' '}
                </Text>
                {triggerLabel(webhook.trigger)}
              </Text>
              <Text size="xs" c="dimmed">
                The URL and the trigger cannot change: add a new webhook instead, then delete this one.
              </Text>
            </Stack>
          </Paper>
          <TextInput
            label="Name"
            withAsterisk
            maxLength={200}
            value={values.name}
            onChange={(e) => setField('name', e.currentTarget.value)}
            error={errors.name}
            data-autofocus
          />
          {hasThreshold ? (
            <ThresholdInput trigger={webhook.trigger} value={values.threshold} error={errors.threshold} onChange={(v) => setField('threshold', v)} />
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
