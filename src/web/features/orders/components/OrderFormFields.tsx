import { Fieldset, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import type { FieldErrors } from '../../../lib/form.ts';
import type { OrderFormValues } from '../lib/order-form.ts';

interface FieldsProps {
  values: OrderFormValues;
  errors: FieldErrors<OrderFormValues>;
  setField: <K extends keyof OrderFormValues & string>(key: K, value: OrderFormValues[K]) => void;
  timeZone: string;
  /** focus the first field when shown */
  autoFocus?: boolean;
}

const COORDINATES_HINT = 'Optional: latitude, longitude — e.g. 37.7749, -122.4194 — for an exact map position';

export function PickupFields({ values, errors, setField, timeZone, autoFocus }: FieldsProps) {
  return (
    <Fieldset legend="Pickup" variant="filled" radius="md">
      <Stack gap="sm">
        <Textarea
          label="Pickup address"
          withAsterisk
          autosize
          minRows={2}
          maxRows={4}
          placeholder="Street and number, city"
          value={values['pickupTask.address']}
          onChange={(e) => setField('pickupTask.address', e.currentTarget.value)}
          error={errors['pickupTask.address']}
          data-autofocus={autoFocus || undefined}
        />
        <TextInput
          label="Pickup coordinates"
          description={COORDINATES_HINT}
          inputMode="decimal"
          value={values['pickupTask.coordinates']}
          onChange={(e) => setField('pickupTask.coordinates', e.currentTarget.value)}
          error={errors['pickupTask.coordinates']}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput
            label="Contact name"
            description="Optional"
            autoComplete="off"
            value={values['pickupTask.name']}
            onChange={(e) => setField('pickupTask.name', e.currentTarget.value)}
            error={errors['pickupTask.name']}
          />
          <TextInput
            label="Contact phone"
            description="Optional, e.g. +14155550123"
            type="tel"
            autoComplete="off"
            value={values['pickupTask.phone']}
            onChange={(e) => setField('pickupTask.phone', e.currentTarget.value)}
            error={errors['pickupTask.phone']}
          />
        </SimpleGrid>
        <TextInput
          label="Ready for pickup from"
          description={`Optional; time in ${timeZone}`}
          type="datetime-local"
          value={values['pickupTask.completeAfter']}
          onChange={(e) => setField('pickupTask.completeAfter', e.currentTarget.value)}
          error={errors['pickupTask.completeAfter']}
        />
        <Textarea
          label="Pickup notes"
          description="For the driver, e.g. where to collect the parcel"
          autosize
          minRows={2}
          maxRows={6}
          value={values['pickupTask.notes']}
          onChange={(e) => setField('pickupTask.notes', e.currentTarget.value)}
          error={errors['pickupTask.notes']}
        />
      </Stack>
    </Fieldset>
  );
}

export function DropoffFields({ values, errors, setField, timeZone }: FieldsProps) {
  return (
    <Fieldset legend="Dropoff" variant="filled" radius="md">
      <Stack gap="sm">
        <Textarea
          label="Dropoff address"
          withAsterisk
          autosize
          minRows={2}
          maxRows={4}
          placeholder="Street and number, apartment, city"
          value={values['dropoffTask.address']}
          onChange={(e) => setField('dropoffTask.address', e.currentTarget.value)}
          error={errors['dropoffTask.address']}
        />
        <TextInput
          label="Dropoff coordinates"
          description={COORDINATES_HINT}
          inputMode="decimal"
          value={values['dropoffTask.coordinates']}
          onChange={(e) => setField('dropoffTask.coordinates', e.currentTarget.value)}
          error={errors['dropoffTask.coordinates']}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput
            label="Recipient name"
            description="Who receives the parcel"
            withAsterisk
            autoComplete="off"
            value={values['dropoffTask.name']}
            onChange={(e) => setField('dropoffTask.name', e.currentTarget.value)}
            error={errors['dropoffTask.name']}
          />
          <TextInput
            label="Recipient phone"
            description="For delivery updates by text"
            type="tel"
            autoComplete="off"
            value={values['dropoffTask.phone']}
            onChange={(e) => setField('dropoffTask.phone', e.currentTarget.value)}
            error={errors['dropoffTask.phone']}
          />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput
            label="Deliver after"
            description="Optional: the earliest time"
            type="datetime-local"
            value={values['dropoffTask.completeAfter']}
            onChange={(e) => setField('dropoffTask.completeAfter', e.currentTarget.value)}
            error={errors['dropoffTask.completeAfter']}
          />
          <TextInput
            label="Deliver before"
            description="Optional: the latest time"
            type="datetime-local"
            value={values['dropoffTask.completeBefore']}
            onChange={(e) => setField('dropoffTask.completeBefore', e.currentTarget.value)}
            error={errors['dropoffTask.completeBefore']}
          />
        </SimpleGrid>
        <Text size="xs" c="dimmed" mt={-6}>
          Times are in {timeZone}.
        </Text>
        <Textarea
          label="Dropoff notes"
          description="For the driver, e.g. the door code"
          autosize
          minRows={2}
          maxRows={6}
          value={values['dropoffTask.notes']}
          onChange={(e) => setField('dropoffTask.notes', e.currentTarget.value)}
          error={errors['dropoffTask.notes']}
        />
      </Stack>
    </Fieldset>
  );
}
