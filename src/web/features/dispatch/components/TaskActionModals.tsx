import { Button, Group, Modal, SegmentedControl, Select, Stack, Text, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { FormAlert } from '../../../components/FormAlert.tsx';
import { isBlank, useFormState } from '../../../lib/form.ts';
import { notifyError, notifySuccess } from '../../../lib/notify.ts';
import type { TaskWithEta } from '../../../lib/types.ts';
import { taskKind } from '../../orders/lib/labels.ts';
import { useForceComplete, useRejectOrder } from '../api/task-actions.ts';

const FAILURE_REASONS = [
  { value: 'CUSTOMER_NOT_AVAILABLE', label: 'Recipient not available' },
  { value: 'WRONG_ADDRESS', label: 'Wrong address' },
  { value: 'REFUSED_DELIVERY', label: 'Delivery refused' },
  { value: 'DAMAGED', label: 'Damaged' },
  { value: 'OTHER', label: 'Other' },
];

/** A dispatcher completes an active task for its driver, as succeeded or failed. */
export function CompleteTaskModal({ task, onClose }: { task: TaskWithEta; onClose: () => void }) {
  const complete = useForceComplete();
  const [outcome, setOutcome] = useState<'success' | 'failure'>('success');
  const form = useFormState({ notes: '', failureReason: 'OTHER' });
  const kind = taskKind(task).toLowerCase();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const success = outcome === 'success';
    if (!success && isBlank(form.values.notes)) {
      form.setErrors({ notes: 'Say what went wrong; the client sees it.' });
      return;
    }
    complete.mutate(
      { id: task.id, success, notes: form.values.notes.trim() || undefined, failureReason: success ? undefined : form.values.failureReason },
      {
        onSuccess: () => {
          notifySuccess(`The ${kind} ${task.shortId} was marked ${success ? 'completed' : 'failed'}.`);
          onClose();
        },
        onError: (e) => {
          form.showServerError(e);
          notifyError(e, 'Could not complete the task');
        },
      },
    );
  };

  return (
    <Modal opened onClose={onClose} title={`Complete ${kind} ${task.shortId}`}>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            Completes the task on its driver’s behalf, for example when the driver’s phone is out of battery.
          </Text>
          <FormAlert message={form.formError} />
          <Stack gap={4}>
            <Text size="sm" fw={500} id="complete-outcome-label">
              Outcome
            </Text>
            <SegmentedControl
              aria-labelledby="complete-outcome-label"
              value={outcome}
              onChange={(v) => setOutcome(v as 'success' | 'failure')}
              data={[
                { value: 'success', label: 'Succeeded' },
                { value: 'failure', label: 'Failed' },
              ]}
            />
          </Stack>
          {outcome === 'failure' ? (
            <Select
              label="Reason"
              data={FAILURE_REASONS}
              value={form.values.failureReason}
              onChange={(v) => form.setField('failureReason', v ?? 'OTHER')}
              allowDeselect={false}
            />
          ) : null}
          <Textarea
            label="Completion notes"
            withAsterisk={outcome === 'failure'}
            autosize
            minRows={3}
            value={form.values.notes}
            onChange={(e) => form.setField('notes', e.currentTarget.value)}
            error={form.errors.notes}
            data-autofocus
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={complete.isPending} color={outcome === 'failure' ? 'red' : undefined}>
              {outcome === 'failure' ? 'Mark failed' : 'Mark completed'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The courier turns an order down; its client sees the reasons. */
export function RejectOrderModal({ orderShortId, onClose, onRejected }: { orderShortId: string; onClose: () => void; onRejected?: () => void }) {
  const reject = useRejectOrder();
  const form = useFormState({ reasons: '' });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const reasons = form.values.reasons
      .split('\n')
      .map((r) => r.trim())
      .filter(Boolean);
    if (reasons.length === 0) {
      form.setErrors({ reasons: 'Give at least one reason; the client sees it.' });
      return;
    }
    if (reasons.length > 10) {
      form.setErrors({ reasons: 'Give at most 10 reasons.' });
      return;
    }
    reject.mutate(
      { shortId: orderShortId, reasons },
      {
        onSuccess: () => {
          notifySuccess(`Order ${orderShortId} was rejected; its client can see why.`);
          onRejected?.();
          onClose();
        },
        onError: (e) => {
          form.showServerError(e);
          notifyError(e, 'Could not reject the order');
        },
      },
    );
  };

  return (
    <Modal opened onClose={onClose} title={`Reject order ${orderShortId}`}>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <Text size="sm">
            Both of its tasks end as failed and the client is told. An order can be rejected only before its pickup starts.
          </Text>
          <FormAlert message={form.formError} />
          <Textarea
            label="Reasons"
            description="One per line; the client sees them"
            withAsterisk
            autosize
            minRows={3}
            maxLength={5000}
            value={form.values.reasons}
            onChange={(e) => form.setField('reasons', e.currentTarget.value)}
            error={form.errors.reasons}
            data-autofocus
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color="red" loading={reject.isPending}>
              Reject order
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
