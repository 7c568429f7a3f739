import { Alert, Button, Group, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconMailCheck } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { FormAlert } from '../../../components/FormAlert.tsx';
import { PasswordField } from '../../../components/PasswordField.tsx';
import { isBlank, looksLikeEmail, MIN_PASSWORD_LENGTH, useFormState, type FieldErrors } from '../../../lib/form.ts';
import { useFormatters } from '../../../lib/format.ts';
import { notifyError, notifySuccess } from '../../../lib/notify.ts';
import { useSession } from '../../../lib/session.tsx';
import type { PendingEmailChange } from '../../../lib/types.ts';
import { useChangeEmail, useChangePassword, type ChangeEmailInput } from '../api/account.ts';

/** Your own sign-in: the email address (confirmed by a link) and the password. */
export function PortalAccountTab() {
  return (
    <Stack gap="lg">
      <EmailSection />
      <PasswordSection />
    </Stack>
  );
}

function EmailSection() {
  const { user, organization } = useSession();
  const change = useChangeEmail();
  const fmt = useFormatters();
  const [pending, setPending] = useState<PendingEmailChange | null>(null);
  const form = useFormState<ChangeEmailInput>({ email: '', password: '' });
  const { values, errors, setField } = form;
  const isOrgEmail = user.email.toLowerCase() === organization.email.toLowerCase();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const problems: FieldErrors<ChangeEmailInput> = {};
    if (!looksLikeEmail(values.email)) problems.email = 'Enter a valid email address.';
    else if (values.email.trim().toLowerCase() === user.email.toLowerCase()) problems.email = 'That is already your email address.';
    if (isBlank(values.password)) problems.password = 'Enter your password to confirm the change.';
    form.setErrors(problems);
    form.setFormError(null);
    if (Object.keys(problems).length) return;
    change.mutate(
      { email: values.email.trim(), password: values.password },
      {
        onSuccess: (result) => {
          setPending(result);
          form.reset({ email: '', password: '' });
          notifySuccess(`Check your inbox at ${result.pendingEmail}.`, 'Confirmation link sent');
        },
        onError: (error) => {
          form.showServerError(error);
          notifyError(error, 'Could not change your email');
        },
      },
    );
  };

  return (
    <Paper p="lg" radius="md" component="section" aria-labelledby="account-email-title">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <Stack gap={2}>
            <Title order={2} fz="lg" id="account-email-title">
              Sign-in email
            </Title>
            <Text size="sm" c="dimmed">
              You sign in with {user.email}.
              {isOrgEmail ? ' It is also your organization’s address with your courier, and changes there too.' : ''}
            </Text>
          </Stack>
          {pending ? (
            <Alert color="green" variant="light" icon={<IconMailCheck aria-hidden />} title={`Check your inbox at ${pending.pendingEmail}`} role="status">
              We sent a confirmation link to {pending.pendingEmail}. Follow it before {fmt.dateTime(pending.expiresAt)} to
              finish the change. Until then you keep signing in with {user.email}.
            </Alert>
          ) : null}
          <FormAlert message={form.formError} />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <TextInput
              label="New email"
              type="email"
              withAsterisk
              autoComplete="email"
              value={values.email}
              onChange={(e) => setField('email', e.currentTarget.value)}
              error={errors.email}
            />
            <PasswordField
              label="Your password"
              description="The one you sign in with now, to confirm it is you"
              withAsterisk
              autoComplete="current-password"
              value={values.password}
              onChange={(e) => setField('password', e.currentTarget.value)}
              error={errors.password}
            />
          </SimpleGrid>
          <Group justify="flex-end">
            <Button type="submit" loading={change.isPending}>
              Change email
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

type PasswordValues = { currentPassword: string; newPassword: string; repeat: string };

function PasswordSection() {
  const change = useChangePassword();
  const form = useFormState<PasswordValues>({ currentPassword: '', newPassword: '', repeat: '' });
  const { values, errors, setField } = form;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const problems: FieldErrors<PasswordValues> = {};
    if (isBlank(values.currentPassword)) problems.currentPassword = 'Enter your current password.';
    if (values.newPassword.length < MIN_PASSWORD_LENGTH) problems.newPassword = `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
    else if (values.repeat !== values.newPassword) problems.repeat = 'The two new passwords differ.';
    form.setErrors(problems);
    form.setFormError(null);
    if (Object.keys(problems).length) return;
    change.mutate(
      { currentPassword: values.currentPassword, newPassword: values.newPassword },
      {
        onSuccess: () => {
          form.reset({ currentPassword: '', newPassword: '', repeat: '' });
          notifySuccess('Your password was changed. You were signed out everywhere else.', 'Password changed');
        },
        onError: (error) => {
          form.showServerError(error);
          notifyError(error, 'Could not change your password');
        },
      },
    );
  };

  return (
    <Paper p="lg" radius="md" component="section" aria-labelledby="account-password-title">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <Stack gap={2}>
            <Title order={2} fz="lg" id="account-password-title">
              Password
            </Title>
            <Text size="sm" c="dimmed">
              Changing it signs you out on every other device.
            </Text>
          </Stack>
          <FormAlert message={form.formError} />
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
            <PasswordField
              label="Current password"
              description="The one you sign in with now"
              withAsterisk
              autoComplete="current-password"
              value={values.currentPassword}
              onChange={(e) => setField('currentPassword', e.currentTarget.value)}
              error={errors.currentPassword}
            />
            <PasswordField
              label="New password"
              description={`At least ${MIN_PASSWORD_LENGTH} characters`}
              withAsterisk
              autoComplete="new-password"
              value={values.newPassword}
              onChange={(e) => setField('newPassword', e.currentTarget.value)}
              error={errors.newPassword}
            />
            <PasswordField
              label="New password again"
              description="Type it once more"
              withAsterisk
              autoComplete="new-password"
              value={values.repeat}
              onChange={(e) => setField('repeat', e.currentTarget.value)}
              error={errors.repeat}
            />
          </SimpleGrid>
          <Group justify="flex-end">
            <Button type="submit" loading={change.isPending}>
              Change password
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
