import {
  Alert,
  Button,
  Checkbox,
  Grid,
  Group,
  Loader,
  Modal,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertTriangle, IconRefresh } from '@tabler/icons-react';
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { useId, useMemo, useRef, type FormEvent } from 'react';
import { FormAlert } from '../../components/FormAlert.tsx';
import { errorMessage, isApiError } from '../../lib/api.ts';
import { isBlank, useFormState, type FieldErrors } from '../../lib/form.ts';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import {
  notificationPreviewQuery,
  useCreateRule,
  useUpdateRule,
  type AppliesTo,
  type Channel,
  type NotificationRule,
  type Preview,
  type PreviewInput,
  type RuleInput,
  type Trigger,
} from './api/notifications.ts';
import {
  APPLIES_TO,
  CHANNELS,
  DEFAULT_SUBJECT,
  SMS_TEMPLATE_MAX,
  smsSegments,
  TAGS,
  THRESHOLDS,
  thresholdFromForm,
  thresholdToForm,
  TRIGGER_ORDER,
  TRIGGERS,
  triggerOptionLabel,
} from './notification-text.ts';

type Values = {
  trigger: Trigger | null;
  appliesTo: AppliesTo;
  channels: Channel[];
  /** in the form's unit: minutes or meters */
  threshold: number | string;
  subject: string;
  template: string;
  enabled: boolean;
};

const TRIGGER_OPTIONS = TRIGGER_ORDER.map((t) => ({ value: t, label: triggerOptionLabel(t) }));
const APPLIES_TO_OPTIONS = (['pickup', 'dropoff', 'both'] as const).map((value) => ({ value, label: APPLIES_TO[value].label }));

function initialValues(rule: NotificationRule | null): Values {
  if (!rule) {
    return { trigger: null, appliesTo: 'both', channels: ['sms'], threshold: '', subject: '', template: '', enabled: true };
  }
  return {
    trigger: rule.trigger,
    appliesTo: rule.appliesTo,
    channels: rule.channels,
    threshold: THRESHOLDS[rule.trigger] ? thresholdToForm(rule.trigger, rule.threshold) : '',
    subject: rule.subject ?? '',
    template: rule.template,
    enabled: rule.enabled,
  };
}

function validate(values: Values): FieldErrors<Values> {
  const problems: FieldErrors<Values> = {};
  if (!values.trigger) problems.trigger = 'Choose when the message is sent.';
  if (values.channels.length === 0) problems.channels = 'Choose at least one way to send it.';
  if (isBlank(values.template)) problems.template = 'Write the message.';
  else if (values.channels.includes('sms') && values.template.length > SMS_TEMPLATE_MAX) {
    problems.template = `A text message template can have at most ${SMS_TEMPLATE_MAX} characters.`;
  }
  const spec = values.trigger ? THRESHOLDS[values.trigger] : undefined;
  if (spec) {
    const n = typeof values.threshold === 'number' ? values.threshold : Number.NaN;
    if (!Number.isFinite(n) || n < spec.min || n > spec.max) {
      problems.threshold = `Enter a number of ${spec.unit} from ${spec.min} to ${spec.max}.`;
    }
  }
  return problems;
}

/** "Add message" (rule null) or edit one rule: when it is sent, to which tasks, how, and what it says. */
export function RuleFormModal({ rule, onClose }: { rule: NotificationRule | null; onClose: () => void }) {
  const create = useCreateRule();
  const update = useUpdateRule();
  const form = useFormState<Values>(() => initialValues(rule));
  const { values, errors, setField } = form;
  const appliesToLabel = useId();
  const tagsLabel = useId();
  const templateRef = useRef<HTMLTextAreaElement>(null);
  const subjectRef = useRef<HTMLInputElement>(null);
  // Tag buttons insert into whichever of the two text fields was used last.
  const lastField = useRef<'template' | 'subject'>('template');

  const spec = values.trigger ? THRESHOLDS[values.trigger] : undefined;
  const hasEmail = values.channels.includes('email');
  const hasSms = values.channels.includes('sms');

  const setTrigger = (trigger: Trigger) => {
    const before = values.trigger ? THRESHOLDS[values.trigger] : undefined;
    setField('trigger', trigger);
    // A different kind of threshold (or none before): start from the server's default.
    if (THRESHOLDS[trigger] && THRESHOLDS[trigger] !== before) {
      setField('threshold', rule?.trigger === trigger ? thresholdToForm(trigger, rule.threshold) : thresholdToForm(trigger, null));
    }
  };

  const insertTag = (tag: string) => {
    const field = lastField.current === 'subject' && hasEmail ? 'subject' : 'template';
    const el = field === 'subject' ? subjectRef.current : templateRef.current;
    const current = values[field];
    const start = el?.selectionStart ?? current.length;
    const end = el?.selectionEnd ?? current.length;
    const text = `{{${tag}}}`;
    setField(field, current.slice(0, start) + text + current.slice(end));
    requestAnimationFrame(() => {
      if (!el) return;
      el.focus();
      el.setSelectionRange(start + text.length, start + text.length);
    });
  };

  // The preview follows the text, 300 ms after the last change.
  const previewInput = useMemo<PreviewInput>(
    () => ({
      template: values.template,
      ...(hasEmail && !isBlank(values.subject) ? { subject: values.subject } : {}),
      ...(values.trigger ? { trigger: values.trigger } : {}),
    }),
    [values.template, values.subject, values.trigger, hasEmail],
  );
  const [debouncedPreview] = useDebouncedValue(previewInput, 300);
  const preview = useQuery({ ...notificationPreviewQuery(debouncedPreview), enabled: !isBlank(debouncedPreview.template) });
  const previewProblem = isApiError(preview.error, 400) ? preview.error : null;
  const previewSubjectProblem = previewProblem?.fieldProblems.some((p) => p.field === 'subject') ? previewProblem.message : null;
  const previewTemplateProblem = previewProblem && !previewSubjectProblem ? previewProblem.message : null;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const problems = validate(values);
    form.setErrors(problems);
    form.setFormError(null);
    if (Object.keys(problems).length || !values.trigger) return;
    const trigger = values.trigger;
    let threshold = spec ? thresholdFromForm(trigger, values.threshold as number) : null;
    // Unchanged on screen: keep the exact value (which may not be a whole number of minutes).
    if (rule && rule.trigger === trigger && spec && values.threshold === thresholdToForm(trigger, rule.threshold)) {
      threshold = rule.threshold;
    }
    const subject = hasEmail && !isBlank(values.subject) ? values.subject.trim() : null;
    const callbacks = {
      onSuccess: () => {
        notifySuccess(`“${TRIGGERS[trigger].name}” was saved.`, rule ? 'Message saved' : 'Message added');
        onClose();
      },
      onError: (error: unknown) => {
        form.showServerError(error);
        notifyError(error, 'Could not save the message');
      },
    };
    if (rule) {
      const input: Partial<RuleInput> & { id: string } = {
        id: rule.id,
        trigger,
        appliesTo: values.appliesTo,
        channels: values.channels,
        template: values.template,
        threshold,
        enabled: values.enabled,
        // Without email the subject is kept as it was, for when email is chosen again.
        ...(hasEmail ? { subject } : {}),
      };
      update.mutate(input, callbacks);
    } else {
      const input: RuleInput = {
        trigger,
        appliesTo: values.appliesTo,
        channels: values.channels,
        template: values.template,
        enabled: values.enabled,
        ...(threshold !== null ? { threshold } : {}),
        ...(subject !== null ? { subject } : {}),
      };
      create.mutate(input, callbacks);
    }
  };

  const busy = create.isPending || update.isPending;
  const length = values.template.length;

  return (
    <Modal opened onClose={onClose} title={rule ? 'Edit message' : 'Add message'} size="xl">
      <form onSubmit={onSubmit} noValidate>
        <Grid gutter="xl">
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Stack gap="md">
              <FormAlert message={form.formError} />
              <Select
                label="When"
                placeholder="Choose an event"
                withAsterisk
                data={TRIGGER_OPTIONS}
                value={values.trigger}
                onChange={(v) => v && setTrigger(v as Trigger)}
                allowDeselect={false}
                description={values.trigger ? TRIGGERS[values.trigger].description : 'The event that sends this message.'}
                error={errors.trigger}
                data-autofocus
              />
              {spec && values.trigger ? (
                <NumberInput
                  label={spec.label}
                  description={spec.description}
                  withAsterisk
                  min={spec.min}
                  max={spec.max}
                  allowNegative={false}
                  decimalScale={spec.unit === 'minutes' ? 1 : 0}
                  suffix={spec.unit === 'minutes' ? ' min' : ' m'}
                  value={values.threshold}
                  onChange={(v) => setField('threshold', v)}
                  error={errors.threshold}
                />
              ) : null}
              <Stack gap={4}>
                <Text size="sm" fw={500} id={appliesToLabel}>
                  Applies to
                </Text>
                <SegmentedControl
                  aria-labelledby={appliesToLabel}
                  data={APPLIES_TO_OPTIONS}
                  value={values.appliesTo}
                  onChange={(v) => setField('appliesTo', v as AppliesTo)}
                />
                <Text size="xs" c="dimmed">
                  Pickups are where the driver collects a parcel, dropoffs where it is delivered.
                </Text>
              </Stack>
              <Checkbox.Group
                label="Send by"
                withAsterisk
                value={values.channels}
                onChange={(v) => setField('channels', v as Channel[])}
                error={errors.channels}
              >
                <Group gap="lg" mt={6}>
                  <Checkbox value="sms" label={`${CHANNELS.sms.label} (text message)`} />
                  <Checkbox value="email" label={CHANNELS.email.label} />
                </Group>
              </Checkbox.Group>
              {hasEmail ? (
                <TextInput
                  ref={subjectRef}
                  label="Email subject"
                  description={`Optional; tags work here too. Empty means “${DEFAULT_SUBJECT}”.`}
                  placeholder={DEFAULT_SUBJECT}
                  value={values.subject}
                  onFocus={() => (lastField.current = 'subject')}
                  onChange={(e) => setField('subject', e.currentTarget.value)}
                  error={errors.subject ?? previewSubjectProblem}
                />
              ) : null}
              <Stack gap={6}>
                <Text size="sm" fw={500} id={tagsLabel}>
                  Insert a tag
                </Text>
                <Group gap={6} role="group" aria-labelledby={tagsLabel}>
                  {TAGS.map((t) => (
                    <Tooltip key={t.tag} label={t.description} withArrow>
                      <Button
                        size="compact-xs"
                        variant="light"
                        color="gray"
                        ff="monospace"
                        fw={500}
                        aria-label={`Insert {{${t.tag}}}: ${t.description}`}
                        onClick={() => insertTag(t.tag)}
                      >
                        {`{{${t.tag}}}`}
                      </Button>
                    </Tooltip>
                  ))}
                </Group>
              </Stack>
              <Stack gap={4}>
                <Textarea
                  ref={templateRef}
                  label="Message"
                  withAsterisk
                  description="Tags in double braces are replaced with each delivery’s details when the message is sent."
                  placeholder="Hi {{recipientName}}, {{driverName}} is on the way with your order from {{merchantName}}. Track it: {{trackingLink}}"
                  autosize
                  minRows={4}
                  maxRows={12}
                  value={values.template}
                  onFocus={() => (lastField.current = 'template')}
                  onChange={(e) => setField('template', e.currentTarget.value)}
                  error={errors.template ?? previewTemplateProblem}
                />
                <Text size="xs" c={hasSms && length > SMS_TEMPLATE_MAX ? 'red' : 'dimmed'}>
                  {hasSms ? `${length} / ${SMS_TEMPLATE_MAX} characters` : `${length} characters`}
                </Text>
              </Stack>
              <Switch
                label="Send this message"
                description="Turn it off to keep the message without sending it."
                checked={values.enabled}
                onChange={(e) => setField('enabled', e.currentTarget.checked)}
              />
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <PreviewPanel
              query={preview}
              blank={isBlank(values.template)}
              hasSms={hasSms}
              hasEmail={hasEmail}
              tagProblem={previewProblem !== null}
            />
          </Grid.Col>
        </Grid>
        <Group justify="flex-end" gap="sm" mt="xl">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={busy}>
            {rule ? 'Save' : 'Add message'}
          </Button>
        </Group>
      </form>
    </Modal>
  );
}

function PreviewPanel({
  query,
  blank,
  hasSms,
  hasEmail,
  tagProblem,
}: {
  query: UseQueryResult<Preview>;
  blank: boolean;
  hasSms: boolean;
  hasEmail: boolean;
  tagProblem: boolean;
}) {
  const q = query;
  const data = q.data;
  const sms = data ? smsSegments(data.text) : null;

  let body;
  if (blank) {
    body = (
      <Text size="sm" c="dimmed">
        Write a message to see how it reads.
      </Text>
    );
  } else if (tagProblem) {
    body = (
      <Text size="sm" c="dimmed">
        Fix the unknown tag to see the preview.
      </Text>
    );
  } else if (q.isError) {
    body = (
      <Alert color="red" variant="light" icon={<IconAlertTriangle aria-hidden />} title="No preview">
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{errorMessage(q.error)}</Text>
          <Button size="xs" variant="white" color="red" leftSection={<IconRefresh size={14} aria-hidden />} onClick={() => void q.refetch()}>
            Try again
          </Button>
        </Stack>
      </Alert>
    );
  } else if (!data) {
    body = (
      <Group gap="xs">
        <Loader size="xs" aria-hidden />
        <Text size="sm" c="dimmed">
          Rendering the preview…
        </Text>
      </Group>
    );
  } else {
    body = (
      <Stack gap="sm">
        <Text size="xs" c="dimmed">
          {data.sample ? 'Preview with sample data' : `Preview with task ${data.taskShortId ?? ''}`.trim()}
        </Text>
        <Paper withBorder radius={24} p="md" bg="gray.0" style={{ opacity: q.isPlaceholderData ? 0.6 : 1, transition: 'opacity 150ms' }}>
          <Stack gap="sm">
            {hasEmail ? (
              <Text size="xs">
                <Text span fw={600} size="xs">
                  Email subject:
                </Text>{' '}
                {data.subject}
              </Text>
            ) : null}
            <Paper
              radius="lg"
              p="sm"
              bg="blue.6"
              c="white"
              maw="92%"
              style={{ borderBottomLeftRadius: 4, alignSelf: 'flex-start' }}
            >
              <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                {data.text}
              </Text>
            </Paper>
          </Stack>
        </Paper>
        {hasSms && sms ? (
          <Text size="xs" c={sms.segments > 1 ? 'orange.8' : 'dimmed'}>
            {sms.length} characters in this example:{' '}
            {sms.segments === 1 ? 'one text message' : `sent as ${sms.segments} text messages`}. One text holds{' '}
            {sms.perMessage} characters{sms.unicode ? ' when it contains emoji or other special characters' : ''}; longer
            messages are split into parts and may cost more.
          </Text>
        ) : null}
      </Stack>
    );
  }

  return (
    // Stays in view while the form scrolls, so the text and its preview can be read side by side.
    <Stack gap="xs" aria-live="polite" pos="sticky" top={0}>
      <Group gap="xs">
        <Text size="sm" fw={600}>
          Preview
        </Text>
        {q.isFetching && !blank ? <Loader size={12} aria-label="Updating the preview" /> : null}
      </Group>
      {body}
    </Stack>
  );
}
