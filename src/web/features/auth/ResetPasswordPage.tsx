import { Button, Stack } from '@mantine/core';
import type { FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { paths } from '../../../shared/paths.ts';
import { CenteredCard } from '../../components/CenteredCard.tsx';
import { FormAlert } from '../../components/FormAlert.tsx';
import { PasswordField } from '../../components/PasswordField.tsx';
import { isApiError } from '../../lib/api.ts';
import { MIN_PASSWORD_LENGTH, useFormState, type FieldErrors } from '../../lib/form.ts';
import { unusableReason } from '../invitations/api/invitations.ts';
import { LinkUnusable, type ReasonTexts } from '../invitations/LinkUnusable.tsx';
import { useResetPassword } from './api/password-reset.ts';

const RESET_TEXTS: ReasonTexts = {
  used: { title: 'This link was already used', text: 'The password was changed with it. Sign in with the new password, or ask for another link.' },
  expired: { title: 'This link has expired', text: 'Reset links work for one hour. Ask for a new one from the sign-in page.' },
  voided: { title: 'This link is out of date', text: 'A newer link was sent since. Use the most recent email, or ask for a new link.' },
  deleted: { title: 'This account no longer exists', text: 'The account was removed or deactivated, so its password cannot be changed.' },
  unknown: { title: 'This link is not valid', text: 'Check that you opened the whole link from the email, or ask for a new one.' },
};

/** A 400 about the link's token rather than the password. */
function aboutToken(error: unknown): boolean {
  if (!isApiError(error, 400)) return false;
  const fields = (error.cause as { fields?: Array<{ field?: string }> } | null)?.fields ?? [];
  return fields.some((f) => f.field === 'token');
}

interface Values {
  password: string;
  repeat: string;
}

/** /reset-password/:token — choose a new password; signs in and ends every other session. */
export function ResetPasswordPage() {
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const reset = useResetPassword(token);
  const form = useFormState<Values>({ password: '', repeat: '' });
  const { values, errors, setField } = form;

  // A link that cannot be used (410, or a malformed token) gets its own page; a refused password
  // stays on the form.
  const reason = reset.isError && (isApiError(reset.error, 410) || aboutToken(reset.error)) ? unusableReason(reset.error) : null;
  if (reason) return <LinkUnusable reason={reason} texts={RESET_TEXTS} />;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const problems: FieldErrors<Values> = {};
    if (values.password.length < MIN_PASSWORD_LENGTH) problems.password = `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
    else if (values.repeat !== values.password) problems.repeat = 'The two passwords differ.';
    form.setErrors(problems);
    form.setFormError(null);
    if (Object.keys(problems).length) return;
    reset.mutate(values.password, {
      onSuccess: () => navigate(paths.dashboard(), { replace: true }),
      onError: (error) => form.showServerError(error),
    });
  };

  return (
    <CenteredCard title="Choose a new password" description="You will be signed in, and signed out everywhere else.">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <FormAlert message={form.formError} title="Could not change the password" />
          <PasswordField
            label="New password"
            description={`At least ${MIN_PASSWORD_LENGTH} characters`}
            withAsterisk
            autoComplete="new-password"
            value={values.password}
            onChange={(e) => setField('password', e.currentTarget.value)}
            error={errors.password}
            autoFocus
          />
          <PasswordField
            label="Repeat the new password"
            withAsterisk
            autoComplete="new-password"
            value={values.repeat}
            onChange={(e) => setField('repeat', e.currentTarget.value)}
            error={errors.repeat}
          />
          <Button type="submit" loading={reset.isPending} fullWidth mt="xs">
            Set the new password
          </Button>
        </Stack>
      </form>
    </CenteredCard>
  );
}
