import { Button, Stack, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { paths } from '../../../shared/paths.ts';
import { CenteredCard } from '../../components/CenteredCard.tsx';
import { FormAlert } from '../../components/FormAlert.tsx';
import { PasswordField } from '../../components/PasswordField.tsx';
import { ErrorState, LoadingState } from '../../components/QueryState.tsx';
import { CountrySelect, TimezoneSelect } from '../../components/ZoneAndCountryFields.tsx';
import { isBlank, looksLikeEmail, MIN_PASSWORD_LENGTH, useFormState, type FieldErrors } from '../../lib/form.ts';
import { browserCountry, browserTimezone } from '../../lib/places.ts';
import { setupQuery } from '../../lib/queries.ts';
import { useSetUp, type SetUpInput } from './api/set-up.ts';

/** First run: creates the courier organization and its owner. */
export function SetupPage() {
  const setup = useQuery(setupQuery);
  if (setup.isPending) {
    return (
      <CenteredCard title="Set up Baton">
        <LoadingState label="Checking this server…" />
      </CenteredCard>
    );
  }
  if (setup.isError) {
    return (
      <CenteredCard title="Set up Baton">
        <ErrorState error={setup.error} title="Could not reach the server" onRetry={() => void setup.refetch()} />
      </CenteredCard>
    );
  }
  if (!setup.data.needed) return <Navigate to={paths.login()} replace />;
  return <SetupForm />;
}

function SetupForm() {
  const navigate = useNavigate();
  const setUp = useSetUp();
  const form = useFormState<SetUpInput>(() => ({
    organizationName: '',
    name: '',
    email: '',
    password: '',
    country: browserCountry(),
    timezone: browserTimezone(),
  }));
  const { values, errors, setField } = form;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const problems: FieldErrors<SetUpInput> = {};
    if (isBlank(values.organizationName)) problems.organizationName = 'Enter the name of your courier business.';
    if (isBlank(values.name)) problems.name = 'Enter your name.';
    if (!looksLikeEmail(values.email)) problems.email = 'Enter a valid email address.';
    if (values.password.length < MIN_PASSWORD_LENGTH) problems.password = `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
    form.setErrors(problems);
    form.setFormError(null);
    if (Object.keys(problems).length) return;
    setUp.mutate(
      { ...values, organizationName: values.organizationName.trim(), name: values.name.trim(), email: values.email.trim() },
      {
        onSuccess: () => navigate(paths.dashboard(), { replace: true }),
        onError: (error) => form.showServerError(error),
      },
    );
  };

  return (
    <CenteredCard
      title="Set up Baton"
      description="Create your courier organization and the owner account. You can change all of this later in Settings."
      width={520}
    >
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <FormAlert message={form.formError} title="Set-up did not work" />
          <TextInput
            label="Organization name"
            description="Your courier business, as clients and drivers will see it"
            withAsterisk
            autoComplete="organization"
            value={values.organizationName}
            onChange={(e) => setField('organizationName', e.currentTarget.value)}
            error={errors.organizationName}
            data-autofocus
          />
          <TextInput
            label="Your name"
            withAsterisk
            autoComplete="name"
            value={values.name}
            onChange={(e) => setField('name', e.currentTarget.value)}
            error={errors.name}
          />
          <TextInput
            label="Email"
            type="email"
            withAsterisk
            autoComplete="email"
            value={values.email}
            onChange={(e) => setField('email', e.currentTarget.value)}
            error={errors.email}
          />
          <PasswordField
            label="Password"
            description={`At least ${MIN_PASSWORD_LENGTH} characters`}
            withAsterisk
            autoComplete="new-password"
            value={values.password}
            onChange={(e) => setField('password', e.currentTarget.value)}
            error={errors.password}
          />
          <CountrySelect
            value={values.country}
            onChange={(v) => setField('country', v)}
            description="Phone numbers without a country code are read as this country's"
            error={errors.country}
          />
          <TimezoneSelect
            value={values.timezone}
            onChange={(v) => setField('timezone', v)}
            description="Times are shown in this zone"
            error={errors.timezone}
          />
          <Button type="submit" loading={setUp.isPending} fullWidth mt="xs">
            Create organization
          </Button>
        </Stack>
      </form>
    </CenteredCard>
  );
}
