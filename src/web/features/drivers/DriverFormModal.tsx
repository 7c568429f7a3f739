import { Alert, Anchor, Button, Fieldset, Group, Modal, MultiSelect, NumberInput, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import type { FormEvent } from 'react';
import { Link } from 'react-router';
import { paths } from '../../../shared/paths.ts';
import { FormAlert } from '../../components/FormAlert.tsx';
import { isBlank, looksLikeEmail, useFormState, type FieldErrors } from '../../lib/form.ts';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import { useSession } from '../../lib/session.tsx';
import type { Team, Vehicle, VehicleType, Worker } from '../../lib/types.ts';
import { useCreateWorker, type WorkerInput } from './api/create-worker.ts';
import { useUpdateWorker } from './api/update-worker.ts';

export const VEHICLE_TYPES: { value: VehicleType; label: string }[] = [
  { value: 'CAR', label: 'Car' },
  { value: 'BICYCLE', label: 'Bicycle' },
  { value: 'MOTORCYCLE', label: 'Motorcycle' },
  { value: 'TRUCK', label: 'Truck' },
];

type Values = {
  name: string;
  phone: string;
  teams: string[];
  'vehicle.type': VehicleType | null;
  'vehicle.description': string;
  'vehicle.licensePlate': string;
  'vehicle.color': string;
  capacity: number | string;
  email: string;
};

function initialValues(worker: Worker | null, defaultTeam: string | null): Values {
  return {
    name: worker?.name ?? '',
    phone: worker?.phone ?? '',
    teams: worker?.teams ?? (defaultTeam ? [defaultTeam] : []),
    'vehicle.type': worker?.vehicle?.type ?? null,
    'vehicle.description': worker?.vehicle?.description ?? '',
    'vehicle.licensePlate': worker?.vehicle?.licensePlate ?? '',
    'vehicle.color': worker?.vehicle?.color ?? '',
    capacity: worker?.capacity ?? '',
    email: worker?.email ?? '',
  };
}

const optional = (s: string) => (s.trim() ? s.trim() : undefined);

function vehicleOf(v: Values): Partial<Vehicle> | null {
  if (!v['vehicle.type']) return null;
  const vehicle: Partial<Vehicle> = { type: v['vehicle.type'] };
  const description = optional(v['vehicle.description']);
  const licensePlate = optional(v['vehicle.licensePlate']);
  const color = optional(v['vehicle.color']);
  if (description) vehicle.description = description;
  if (licensePlate) vehicle.licensePlate = licensePlate;
  if (color) vehicle.color = color;
  return vehicle;
}

/** Creates a driver, or edits one when `worker` is given. Mounted while open, so it starts from `worker`. */
export function DriverFormModal({
  opened,
  worker,
  teams,
  defaultTeam,
  onClose,
}: {
  opened: boolean;
  worker: Worker | null;
  teams: Team[];
  defaultTeam: string | null;
  onClose: () => void;
}) {
  const { organization } = useSession();
  const create = useCreateWorker();
  const update = useUpdateWorker();
  const form = useFormState<Values>(() => initialValues(worker, defaultTeam));
  const { values, errors, setField } = form;
  const noTeams = teams.length === 0;

  const close = () => {
    form.reset(initialValues(worker, defaultTeam));
    onClose();
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const problems: FieldErrors<Values> = {};
    if (isBlank(values.name)) problems.name = 'Enter the driver’s name.';
    if (isBlank(values.phone)) problems.phone = 'Enter the driver’s mobile number.';
    if (values.teams.length === 0) problems.teams = 'Choose at least one team.';
    if (!isBlank(values.email) && !looksLikeEmail(values.email)) problems.email = 'Enter a valid email address, or leave it empty.';
    const hasVehicleDetails = ['vehicle.description', 'vehicle.licensePlate', 'vehicle.color'].some(
      (k) => !isBlank(values[k as 'vehicle.color']),
    );
    if (hasVehicleDetails && !values['vehicle.type']) problems['vehicle.type'] = 'Choose the vehicle type, or clear the vehicle details.';
    form.setErrors(problems);
    form.setFormError(null);
    if (Object.keys(problems).length) return;

    const capacity = values.capacity === '' ? null : Number(values.capacity);
    const vehicle = vehicleOf(values);
    const email = optional(values.email);
    const onError = (error: unknown) => {
      form.showServerError(error);
      notifyError(error, worker ? 'Could not save the driver' : 'Could not add the driver');
    };

    if (worker) {
      const input: Partial<WorkerInput> & { id: string } = {
        id: worker.id,
        name: values.name.trim(),
        phone: values.phone.trim(),
        teams: values.teams,
      };
      if (vehicle) input.vehicle = vehicle;
      else if (worker.vehicle) input.vehicle = null;
      if (capacity !== null) input.capacity = capacity;
      if (email) input.email = email;
      else if (worker.email) input.email = null;
      update.mutate(input, {
        onSuccess: (saved) => {
          notifySuccess(`${saved.name} was saved.`);
          onClose();
        },
        onError,
      });
    } else {
      const input: WorkerInput = { name: values.name.trim(), phone: values.phone.trim(), teams: values.teams };
      if (vehicle) input.vehicle = vehicle;
      if (capacity !== null) input.capacity = capacity;
      if (email) input.email = email;
      create.mutate(input, {
        onSuccess: (saved) => {
          notifySuccess(`${saved.name} was added.`);
          form.reset(initialValues(null, defaultTeam));
          onClose();
        },
        onError,
      });
    }
  };

  return (
    <Modal opened={opened} onClose={close} title={worker ? `Edit ${worker.name}` : 'Add driver'} size="lg">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          {noTeams ? (
            <Alert color="yellow" variant="light" icon={<IconInfoCircle aria-hidden />} title="Create a team first">
              Every driver belongs to at least one team.{' '}
              <Anchor component={Link} to={paths.teams()} onClick={close} underline="always">
                Go to Teams
              </Anchor>{' '}
              to create one.
            </Alert>
          ) : null}
          <FormAlert message={form.formError} />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <TextInput
              label="Name"
              withAsterisk
              autoComplete="off"
              value={values.name}
              onChange={(e) => setField('name', e.currentTarget.value)}
              error={errors.name}
              data-autofocus
            />
            <TextInput
              label="Mobile phone"
              withAsterisk
              type="tel"
              autoComplete="off"
              placeholder="+14155550123"
              description={`International format, or a ${organization.country} number`}
              value={values.phone}
              onChange={(e) => setField('phone', e.currentTarget.value)}
              error={errors.phone}
            />
          </SimpleGrid>
          <MultiSelect
            label="Teams"
            withAsterisk
            placeholder={values.teams.length ? undefined : 'Choose one or more teams'}
            data={teams.map((t) => ({ value: t.id, label: t.name }))}
            value={values.teams}
            onChange={(v) => setField('teams', v)}
            error={errors.teams}
            disabled={noTeams}
            searchable
            hidePickedOptions
            nothingFoundMessage="No team matches"
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <TextInput
              label="Email"
              type="email"
              autoComplete="off"
              description="Optional"
              value={values.email}
              onChange={(e) => setField('email', e.currentTarget.value)}
              error={errors.email}
            />
            <NumberInput
              label="Capacity"
              description="Optional: how many parcels the vehicle holds"
              min={0}
              allowDecimal={false}
              allowNegative={false}
              value={values.capacity}
              onChange={(v) => setField('capacity', v)}
              error={errors.capacity}
            />
          </SimpleGrid>
          <Fieldset legend="Vehicle" variant="filled">
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
              <Select
                label="Vehicle type"
                placeholder="No vehicle"
                data={VEHICLE_TYPES}
                value={values['vehicle.type']}
                onChange={(v) => setField('vehicle.type', v as VehicleType | null)}
                error={errors['vehicle.type']}
                clearable
                clearButtonProps={{ 'aria-label': 'Clear the vehicle type', 'aria-hidden': false, tabIndex: 0 }}
              />
              <TextInput
                label="Description"
                placeholder="e.g. White Ford Transit"
                value={values['vehicle.description']}
                onChange={(e) => setField('vehicle.description', e.currentTarget.value)}
                error={errors['vehicle.description']}
              />
              <TextInput
                label="Licence plate"
                value={values['vehicle.licensePlate']}
                onChange={(e) => setField('vehicle.licensePlate', e.currentTarget.value)}
                error={errors['vehicle.licensePlate']}
              />
              <TextInput
                label="Colour"
                value={values['vehicle.color']}
                onChange={(e) => setField('vehicle.color', e.currentTarget.value)}
                error={errors['vehicle.color']}
              />
            </SimpleGrid>
          </Fieldset>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending || update.isPending} disabled={noTeams}>
              {worker ? 'Save driver' : 'Add driver'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
