import { Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import type { FormEvent } from 'react';
import { Link } from 'react-router';
import { paths } from '../../../shared/paths.ts';
import { CenteredCard } from '../../components/CenteredCard.tsx';
import { FormAlert } from '../../components/FormAlert.tsx';
import { looksLikeEmail, useFormState, type FieldErrors } from '../../lib/form.ts';
import { useRequestPasswordReset } from './api/password-reset.ts';

/** /forgot-password — mails a link to choose a new password. */
export function ForgotPasswordPage() {
  const request = useRequestPasswordReset();
  const form = useFormState<{ email: string }>({ email: '' });
  const { values, errors, setField } = form;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const problems: FieldErrors<{ email: string }> = {};
    if (!looksLikeEmail(values.email)) problems.email = 'Enter the email address you sign in with.';
    form.setErrors(problems);
    form.setFormError(null);
    if (Object.keys(problems).length) return;
    request.mutate(values.email.trim(), { onError: (error) => form.showServerError(error) });
  };

  if (request.isSuccess) {
    return (
      <CenteredCard title="Check your email">
        <Stack gap="md">
          <Text size="sm" role="status">
            {request.data.message}
          </Text>
          <Text size="sm" c="dimmed">
            Nothing arrived after a few minutes? Check the spam folder, and that {values.email.trim()} is the address you sign in with.
          </Text>
          <Button component={Link} to={paths.login()} variant="default">
            Back to sign in
          </Button>
        </Stack>
      </CenteredCard>
    );
  }

  return (
    <CenteredCard title="Forgot your password?" description="We will email you a link to choose a new one.">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <FormAlert message={form.formError} title="Could not send the link" />
          <TextInput
            label="Email"
            type="email"
            withAsterisk
            autoComplete="username"
            value={values.email}
            onChange={(e) => setField('email', e.currentTarget.value)}
            error={errors.email}
            autoFocus
          />
          <Button type="submit" loading={request.isPending} fullWidth>
            Email me a link
          </Button>
          <Anchor component={Link} to={paths.login()} size="sm" ta="center">
            Back to sign in
          </Anchor>
        </Stack>
      </form>
    </CenteredCard>
  );
}
