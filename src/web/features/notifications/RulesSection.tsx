import { ActionIcon, Alert, Badge, Button, Group, Paper, Stack, Switch, Text, Title, Tooltip } from '@mantine/core';
import { IconBell, IconCopyPlus, IconInfoCircle, IconMail, IconMessage, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { confirmAction } from '../../components/confirm.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import { usePermissions, useSession } from '../../lib/session.tsx';
import {
  notificationRulesQuery,
  useCopyCourierDefaults,
  useDeleteRule,
  useToggleRule,
  type NotificationRule,
  type NotificationRules,
} from './api/notifications.ts';
import { APPLIES_TO, CHANNELS, DEFAULT_SUBJECT, ruleTitle, thresholdText, TRIGGER_ORDER, TRIGGERS } from './notification-text.ts';
import { RuleFormModal } from './RuleFormModal.tsx';

type Dialog = { kind: 'create' } | { kind: 'edit'; rule: NotificationRule } | null;

/** The organization's message rules by trigger; for a client still on its courier's defaults, those. */
export function RulesSection() {
  const rules = useQuery(notificationRulesQuery);
  // The server lets anyone who is not read-only change the messages.
  const { canWrite } = usePermissions();
  const { organization } = useSession();
  const [dialog, setDialog] = useState<Dialog>(null);

  const addButton = canWrite ? (
    <Button leftSection={<IconPlus size={18} aria-hidden />} onClick={() => setDialog({ kind: 'create' })}>
      Add message
    </Button>
  ) : null;

  return (
    <>
      <QueryState query={rules} loadingLabel="Loading messages…" errorTitle="Could not load the messages">
        {(data) =>
          organization.kind === 'client' && data.usesCourierDefaults ? (
            <CourierDefaults data={data} canWrite={canWrite} addButton={addButton} />
          ) : (
            <OwnRules
              rules={data.rules}
              isClient={organization.kind === 'client'}
              canWrite={canWrite}
              addButton={addButton}
              onEdit={(rule) => setDialog({ kind: 'edit', rule })}
            />
          )
        }
      </QueryState>
      {dialog ? <RuleFormModal rule={dialog.kind === 'edit' ? dialog.rule : null} onClose={() => setDialog(null)} /> : null}
    </>
  );
}

function OwnRules({
  rules,
  isClient,
  canWrite,
  addButton,
  onEdit,
}: {
  rules: NotificationRule[];
  isClient: boolean;
  canWrite: boolean;
  addButton: ReactNode;
  onEdit: (rule: NotificationRule) => void;
}) {
  if (rules.length === 0) {
    return (
      <EmptyState icon={<IconBell size={28} aria-hidden />} title="No messages yet" action={addButton}>
        Recipients get no text messages or emails until you add one. A good start is “Driver is on the way” with a link to
        the tracking page.
      </EmptyState>
    );
  }
  const active = rules.filter((r) => r.enabled).length;
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" gap="md">
        <Text size="sm" c="dimmed" maw={640}>
          {rules.length === 1 ? 'One message' : `${rules.length} messages`}, {active === rules.length ? 'all' : active} on.
          {isClient
            ? ' Only these go to the recipients of your orders; your courier’s default messages no longer apply. Delete them all to go back to the defaults.'
            : ''}
          {canWrite ? '' : ' Your account is read-only, so you cannot change them.'}
        </Text>
        {addButton}
      </Group>
      <RuleGroups rules={rules} editable={canWrite} onEdit={onEdit} isLastRule={isClient && rules.length === 1} />
    </Stack>
  );
}

function CourierDefaults({ data, canWrite, addButton }: { data: NotificationRules; canWrite: boolean; addButton: ReactNode }) {
  const copy = useCopyCourierDefaults();
  const defaults = data.courierDefaults;

  const customize = () =>
    copy.mutate(defaults, {
      onSuccess: (created) =>
        notifySuccess(
          `${created.length === 1 ? 'The message is' : `All ${created.length} messages are`} now your own: change them as you like.`,
          'Messages copied',
        ),
      onError: (error) => notifyError(error, 'Not every message could be copied'),
    });

  if (defaults.length === 0) {
    return (
      <EmptyState icon={<IconBell size={28} aria-hidden />} title="No messages yet" action={addButton}>
        Your courier has no default messages, so your recipients currently get no text messages or emails. Add your own
        to keep them informed.
      </EmptyState>
    );
  }

  return (
    <Stack gap="lg">
      <Alert color="blue" variant="light" icon={<IconInfoCircle aria-hidden />} title="Your recipients currently get your courier’s default messages">
        <Stack gap="sm" align="flex-start">
          <Text size="sm">
            Until you have messages of your own, the recipients of your orders get the messages below, written by your
            courier. {canWrite ? 'Customize copies them into your own messages, which you can then change, turn off or delete. ' : ''}
            Once you have your own messages, only those apply: later changes to your courier’s defaults no longer reach
            your recipients.
          </Text>
          {canWrite ? (
            <Button leftSection={<IconCopyPlus size={18} aria-hidden />} loading={copy.isPending} onClick={customize}>
              Customize
            </Button>
          ) : null}
        </Stack>
      </Alert>
      <RuleGroups rules={defaults} editable={false} />
    </Stack>
  );
}

function RuleGroups({
  rules,
  editable,
  onEdit,
  isLastRule = false,
}: {
  rules: NotificationRule[];
  editable: boolean;
  onEdit?: (rule: NotificationRule) => void;
  isLastRule?: boolean;
}) {
  const groups = TRIGGER_ORDER.map((trigger) => ({
    trigger,
    rules: rules.filter((r) => r.trigger === trigger).sort((a, b) => a.timeCreated - b.timeCreated),
  })).filter((g) => g.rules.length > 0);

  return (
    <Stack gap="xl">
      {groups.map((g) => (
        <Stack key={g.trigger} gap="sm" component="section" aria-label={TRIGGERS[g.trigger].name}>
          <Stack gap={2}>
            <Title order={3} fz="md">
              {TRIGGERS[g.trigger].name}
            </Title>
            <Text size="sm" c="dimmed">
              {TRIGGERS[g.trigger].description}
            </Text>
          </Stack>
          {g.rules.map((rule) => (
            <RuleCard key={rule.id} rule={rule} editable={editable} onEdit={onEdit} isLastRule={isLastRule} />
          ))}
        </Stack>
      ))}
    </Stack>
  );
}

function RuleCard({
  rule,
  editable,
  onEdit,
  isLastRule,
}: {
  rule: NotificationRule;
  editable: boolean;
  onEdit?: (rule: NotificationRule) => void;
  isLastRule: boolean;
}) {
  const toggle = useToggleRule();
  const remove = useDeleteRule();
  const title = ruleTitle(rule.trigger, rule.threshold);
  const condition = thresholdText(rule.trigger, rule.threshold);
  const name = `“${title}” message for ${APPLIES_TO[rule.appliesTo].short.toLowerCase()}`;

  const onToggle = (enabled: boolean) =>
    toggle.mutate(
      { id: rule.id, enabled },
      {
        onSuccess: () => notifySuccess(`“${TRIGGERS[rule.trigger].name}” is ${enabled ? 'on' : 'off'}.`),
        onError: (error) => notifyError(error, `Could not turn the message ${enabled ? 'on' : 'off'}`),
      },
    );

  const onDelete = () =>
    confirmAction({
      title: 'Delete this message?',
      message: isLastRule
        ? `Recipients will no longer get “${title}”. It is your last message, so your recipients will get your courier’s default messages again.`
        : `Recipients will no longer get “${title}”. This cannot be undone.`,
      confirmLabel: 'Delete message',
      onConfirm: () =>
        remove.mutate(rule.id, {
          onSuccess: () => notifySuccess(`“${title}” was deleted.`),
          onError: (error) => notifyError(error, 'Could not delete the message'),
        }),
    });

  return (
    <Paper withBorder radius="md" p="md" style={{ opacity: rule.enabled ? 1 : 0.75 }}>
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="md">
        <Stack gap="xs" style={{ flex: 1, minWidth: 0 }}>
          <Group gap={6}>
            {condition ? (
              <Badge variant="light" color="grape" tt="none">
                {condition}
              </Badge>
            ) : null}
            <Badge variant="outline" color="gray" tt="none">
              {APPLIES_TO[rule.appliesTo].short}
            </Badge>
            {rule.channels.map((c) => (
              <Badge
                key={c}
                variant="light"
                color={CHANNELS[c].color}
                tt="none"
                leftSection={c === 'sms' ? <IconMessage size={12} aria-hidden /> : <IconMail size={12} aria-hidden />}
              >
                {CHANNELS[c].label}
              </Badge>
            ))}
            {!editable ? (
              <Badge variant="dot" color={rule.enabled ? 'green' : 'gray'} tt="none">
                {rule.enabled ? 'On' : 'Off'}
              </Badge>
            ) : null}
          </Group>
          {rule.channels.includes('email') ? (
            <Text size="sm">
              <Text span size="sm" c="dimmed">
                Subject:{' '}
              </Text>
              {rule.subject ?? DEFAULT_SUBJECT}
              {rule.subject === null ? (
                <Text span size="sm" c="dimmed">
                  {' '}
                  (default)
                </Text>
              ) : null}
            </Text>
          ) : null}
          <Paper bg="gray.0" radius="sm" p="sm">
            <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {rule.template}
            </Text>
          </Paper>
        </Stack>
        {editable ? (
          <Group gap="xs" wrap="nowrap">
            <Switch
              checked={rule.enabled}
              onChange={(e) => onToggle(e.currentTarget.checked)}
              label={rule.enabled ? 'On' : 'Off'}
              aria-label={`Send the ${name}`}
              w={64}
            />
            <Tooltip label="Edit" withArrow>
              <ActionIcon variant="subtle" color="gray" aria-label={`Edit the ${name}`} onClick={() => onEdit?.(rule)}>
                <IconPencil size={18} aria-hidden />
              </ActionIcon>
            </Tooltip>
            <Tooltip label="Delete" withArrow>
              <ActionIcon variant="subtle" color="red" aria-label={`Delete the ${name}`} loading={remove.isPending} onClick={onDelete}>
                <IconTrash size={18} aria-hidden />
              </ActionIcon>
            </Tooltip>
          </Group>
        ) : null}
      </Group>
    </Paper>
  );
}
