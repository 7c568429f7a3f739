import { Anchor, Button, Group, Stack, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { paths } from '../../../shared/paths.ts';
import { CenteredCard } from '../../components/CenteredCard.tsx';
import { FormAlert } from '../../components/FormAlert.tsx';
import { PasswordField } from '../../components/PasswordField.tsx';
import { ErrorState, LoadingState } from '../../components/QueryState.tsx';
import { isApiError } from '../../lib/api.ts';
import { isBlank, looksLikeEmail, useFormState, type FieldErrors } from '../../lib/form.ts';
import { sessionQuery, setupQuery } from '../../lib/queries.ts';
import { useSignIn, type SignInInput } from './api/sign-in.ts';

/** Where to go after signing in: only paths on this site. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith(paths.login()) ? next : paths.dashboard();
}

export function LoginPage() {
  const setup = useQuery(setupQuery);
  const session = useQuery(sessionQuery);
  const [params] = useSearchParams();
  if (setup.isPending || session.isPending) {
    return (
      <CenteredCard title="Sign in">
        <LoadingState label="Checking your session…" />
      </CenteredCard>
    );
  }
  if (setup.isError) {
    return (
      <CenteredCard title="Sign in">
        <ErrorState error={setup.error} title="Could not reach the server" onRetry={() => void setup.refetch()} />
      </CenteredCard>
    );
  }
  if (setup.data.needed) return <Navigate to={paths.setup()} replace />;
  if (session.data) return <Navigate to={safeNext(params.get('next'))} replace />;
  return <LoginForm next={safeNext(params.get('next'))} />;
}

function LoginForm({ next }: { next: string }) {
  const navigate = useNavigate();
  const signIn = useSignIn();
  const form = useFormState<SignInInput>({ email: '', password: '' });
  const { values, errors, setField } = form;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const problems: FieldErrors<SignInInput> = {};
    if (!looksLikeEmail(values.email)) problems.email = 'Enter the email address of your account.';
    if (isBlank(values.password)) problems.password = 'Enter your password.';
    form.setErrors(problems);
    form.setFormError(null);
    if (Object.keys(problems).length) return;
    signIn.mutate(
      { email: values.email.trim(), password: values.password },
      {
        onSuccess: () => navigate(next, { replace: true }),
        onError: (error) => {
          // Wrong credentials, too many attempts, or a deactivated account: the server's words say which.
          if (isApiError(error) && (error.status === 401 || error.status === 429)) {
            form.setErrors({});
            form.setFormError(error.message);
            setField('password', '');
          } else {
            form.showServerError(error);
          }
        },
      },
    );
  };

  return (
    <CenteredCard title="Sign in" description="Sign in to your Baton dashboard.">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <FormAlert message={form.formError} title="Could not sign you in" />
          <TextInput
            label="Email"
            type="email"
            withAsterisk
            autoComplete="username"
            value={values.email}
            onChange={(e) => setField('email', e.currentTarget.value)}
            error={errors.email}
            data-autofocus
            autoFocus
          />
          <PasswordField
            label="Password"
            withAsterisk
            autoComplete="current-password"
            value={values.password}
            onChange={(e) => setField('password', e.currentTarget.value)}
            error={errors.password}
          />
          <Group justify="flex-end" mt={-8}>
            <Anchor component={Link} to={paths.forgotPassword()} size="sm">
              Forgot your password?
            </Anchor>
          </Group>
          <Button type="submit" loading={signIn.isPending} fullWidth mt="xs">
            Sign in
          </Button>
        </Stack>
      </form>
    </CenteredCard>
  );
}
