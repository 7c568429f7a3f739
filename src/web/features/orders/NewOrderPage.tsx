import { Button, Fieldset, Group, NumberInput, SimpleGrid, Stack, TextInput } from '@mantine/core';
import type { FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { paths } from '../../../shared/paths.ts';
import { FormAlert } from '../../components/FormAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useFormState } from '../../lib/form.ts';
import { useFormatters } from '../../lib/format.ts';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import { useCreateOrder, type CreateOrderInput } from './api/create-order.ts';
import { DropoffFields, PickupFields } from './components/OrderFormFields.tsx';
import { checkOrderForm, emptyOrderForm, orderFormError, taskInputFrom, type OrderFormValues } from './lib/order-form.ts';

/** The client portal's order form: where to pick up, where to deliver, and when. */
export function NewOrderPage() {
  const navigate = useNavigate();
  const { timeZone } = useFormatters();
  const create = useCreateOrder();
  const form = useFormState<OrderFormValues>(emptyOrderForm);
  const { values, errors, setField } = form;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const problems = checkOrderForm(values, timeZone);
    form.setErrors(problems);
    form.setFormError(null);
    if (Object.keys(problems).length) {
      // Take keyboard and screen-reader users to the first problem.
      requestAnimationFrame(() => document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    const input: CreateOrderInput = {
      pickupTask: taskInputFrom(values, 'pickupTask', timeZone),
      dropoffTask: taskInputFrom(values, 'dropoffTask', timeZone),
    };
    const reference = values.reference.trim();
    if (reference) input.metadata = [{ name: 'reference', type: 'string', value: reference }];
    create.mutate(input, {
      onSuccess: (order) => {
        notifySuccess(`Order ${order.shortId} was created.`, 'Order created');
        navigate(paths.portalOrder(order.shortId));
      },
      onError: (error) => {
        form.showServerError(orderFormError(error));
        notifyError(error, 'Could not create the order');
        requestAnimationFrame(() => document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      },
    });
  };

  return (
    <>
      <PageHeader title="New order" description="Where we pick the parcel up, where it goes, and when." />
      <form onSubmit={onSubmit} noValidate aria-label="New order">
        <Stack gap="lg">
          <FormAlert message={form.formError} title="The order could not be created" />
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
            <PickupFields values={values} errors={errors} setField={setField} timeZone={timeZone} />
            <DropoffFields values={values} errors={errors} setField={setField} timeZone={timeZone} />
          </SimpleGrid>
          <Fieldset legend="Details" variant="filled" radius="md">
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <NumberInput
                label="Number of parcels"
                description="Optional"
                min={0}
                allowDecimal={false}
                allowNegative={false}
                value={values.quantity}
                onChange={(v) => setField('quantity', v)}
                error={errors.quantity}
              />
              <TextInput
                label="Your reference"
                description="Optional, e.g. your order or invoice number"
                maxLength={200}
                value={values.reference}
                onChange={(e) => setField('reference', e.currentTarget.value)}
                error={errors.reference}
              />
            </SimpleGrid>
          </Fieldset>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" component={Link} to={paths.portalOrders()}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create order
            </Button>
          </Group>
        </Stack>
      </form>
    </>
  );
}
