import { Button, Group, Modal, NumberInput, Stack, Tabs, Text } from '@mantine/core';
import type { FormEvent } from 'react';
import { useState } from 'react';
import { FormAlert } from '../../../components/FormAlert.tsx';
import { ApiError } from '../../../lib/api.ts';
import { useFormState } from '../../../lib/form.ts';
import { useFormatters } from '../../../lib/format.ts';
import { notifyError, notifySuccess } from '../../../lib/notify.ts';
import type { Order } from '../../../lib/types.ts';
import { useUpdateOrder, type UpdateOrderInput } from '../api/update-order.ts';
import { checkOrderForm, orderFormError, orderFormFrom, taskPatchFrom, type OrderFormValues } from '../lib/order-form.ts';
import { DropoffFields, PickupFields } from './OrderFormFields.tsx';

const PICKUP_FIELDS = ['pickupTask.address', 'pickupTask.coordinates', 'pickupTask.name', 'pickupTask.phone', 'pickupTask.notes', 'pickupTask.completeAfter'];

/** Changes an order's addresses, contacts, notes and times until its pickup starts. Mounted while open. */
export function EditOrderModal({ order, onClose }: { order: Order; onClose: () => void }) {
  const { timeZone } = useFormatters();
  const update = useUpdateOrder();
  const [initial] = useState(() => orderFormFrom(order, timeZone));
  const form = useFormState<OrderFormValues>(initial);
  const { values, errors, setField } = form;
  const [tab, setTab] = useState<string | null>('pickup');

  const showTabOfFirstError = (errs: object) => {
    const keys = Object.keys(errs).filter((k) => (errs as Record<string, unknown>)[k]);
    if (keys.length) setTab(keys.some((k) => PICKUP_FIELDS.includes(k)) ? 'pickup' : 'dropoff');
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const problems = checkOrderForm(values, timeZone);
    form.setErrors(problems);
    form.setFormError(null);
    if (Object.keys(problems).length) {
      showTabOfFirstError(problems);
      return;
    }
    const input: UpdateOrderInput = {};
    const pickup = taskPatchFrom(values, initial, 'pickupTask', timeZone);
    const dropoff = taskPatchFrom(values, initial, 'dropoffTask', timeZone);
    if (pickup) input.pickupTask = pickup;
    if (dropoff) input.dropoffTask = dropoff;
    if (!pickup && !dropoff) {
      onClose();
      return;
    }
    update.mutate(
      { shortId: order.shortId, ...input },
      {
        onSuccess: () => {
          notifySuccess(`Order ${order.shortId} was changed.`);
          onClose();
        },
        onError: (error) => {
          const mapped = orderFormError(error);
          form.showServerError(mapped);
          if (mapped instanceof ApiError) showTabOfFirstError(Object.fromEntries(mapped.fieldProblems.map((p) => [p.field, p.problem])));
          notifyError(error, 'Could not change the order');
        },
      },
    );
  };

  // Show the tab that holds the server's field errors.
  const pickupHasError = PICKUP_FIELDS.some((k) => errors[k as keyof OrderFormValues]);
  const dropoffHasError = Object.keys(errors).some((k) => k.startsWith('dropoffTask.') && errors[k as keyof OrderFormValues]);

  return (
    <Modal opened onClose={onClose} title={`Change order ${order.shortId}`} size="lg">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            You can change the order until the driver starts the pickup.
          </Text>
          <FormAlert message={form.formError} />
          <Tabs value={tab} onChange={setTab} keepMounted>
            <Tabs.List>
              <Tabs.Tab value="pickup" c={pickupHasError ? 'red.8' : undefined}>
                Pickup{pickupHasError ? ' (check)' : ''}
              </Tabs.Tab>
              <Tabs.Tab value="dropoff" c={dropoffHasError ? 'red.8' : undefined}>
                Dropoff{dropoffHasError ? ' (check)' : ''}
              </Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="pickup" pt="md">
              <PickupFields values={values} errors={errors} setField={setField} timeZone={timeZone} autoFocus />
            </Tabs.Panel>
            <Tabs.Panel value="dropoff" pt="md">
              <Stack gap="md">
                <DropoffFields values={values} errors={errors} setField={setField} timeZone={timeZone} />
                <NumberInput
                  label="Number of parcels"
                  min={0}
                  allowDecimal={false}
                  allowNegative={false}
                  value={values.quantity}
                  onChange={(v) => setField('quantity', v)}
                  error={errors.quantity}
                />
              </Stack>
            </Tabs.Panel>
          </Tabs>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={update.isPending}>
              Save changes
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
