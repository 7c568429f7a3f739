import { Button, Stack, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { paths } from '../../../shared/paths.ts';
import { CenteredCard } from '../../components/CenteredCard.tsx';
import { FormAlert } from '../../components/FormAlert.tsx';
import { PasswordField } from '../../components/PasswordField.tsx';
import { ErrorState, LoadingState } from '../../components/QueryState.tsx';
import { isApiError } from '../../lib/api.ts';
import { isBlank, MIN_PASSWORD_LENGTH, useFormState, type FieldErrors } from '../../lib/form.ts';
import type { AdminInvitation } from '../../lib/types.ts';
import { invitationQuery, useAcceptInvitation, type AcceptInvitationInput } from './api/invitation.ts';

/** /join/:token — a person invited to the courier's dashboard chooses a password. */
export function JoinPage() {
  const { token = '' } = useParams();
  const invitation = useQuery(invitationQuery(token));

  if (invitation.isPending) {
    return (
      <CenteredCard title="Join your team">
        <LoadingState label="Opening your invitation…" />
      </CenteredCard>
    );
  }
  if (invitation.isError) {
    // 410: used, expired or voided; 404 or 400: not a token this server issued (e.g. a mangled link).
    if ([400, 404, 410].some((status) => isApiError(invitation.error, status))) return <InvitationUnusable />;
    return (
      <CenteredCard title="Join your team">
        <ErrorState error={invitation.error} title="Could not open the invitation" onRetry={() => void invitation.refetch()} />
      </CenteredCard>
    );
  }
  return <JoinForm token={token} invitation={invitation.data} />;
}

function InvitationUnusable() {
  return (
    <CenteredCard
      title="This invitation can't be used"
      description="The link has already been used, has expired, or was withdrawn."
    >
      <Stack gap="md">
        <Text size="sm">
          If you already accepted it, sign in with your email and password. Otherwise ask an administrator of your
          organization to send you a new invitation.
        </Text>
        <Button component={Link} to={paths.login()}>
          Go to sign in
        </Button>
      </Stack>
    </CenteredCard>
  );
}

function JoinForm({ token, invitation }: { token: string; invitation: AdminInvitation }) {
  const navigate = useNavigate();
  const accept = useAcceptInvitation(token);
  const form = useFormState<AcceptInvitationInput>({ name: invitation.name, password: '' });
  const { values, errors, setField } = form;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const problems: FieldErrors<AcceptInvitationInput> = {};
    if (isBlank(values.name)) problems.name = 'Enter your name.';
    if (values.password.length < MIN_PASSWORD_LENGTH) problems.password = `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
    form.setErrors(problems);
    form.setFormError(null);
    if (Object.keys(problems).length) return;
    accept.mutate(
      { name: values.name.trim(), password: values.password },
      {
        onSuccess: () => navigate(paths.dashboard(), { replace: true }),
        onError: (error) => {
          if (isApiError(error, 410)) form.setFormError('This invitation can no longer be used. Ask for a new one.');
          else form.showServerError(error);
        },
      },
    );
  };

  return (
    <CenteredCard
      title={`Join ${invitation.organizationName}`}
      description="You have been invited to the dispatch dashboard. Choose a password to finish creating your account."
    >
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <FormAlert message={form.formError} title="Could not accept the invitation" />
          <TextInput label="Email" value={invitation.email} readOnly description="You will sign in with this address" />
          <TextInput
            label="Your name"
            withAsterisk
            autoComplete="name"
            value={values.name}
            onChange={(e) => setField('name', e.currentTarget.value)}
            error={errors.name}
          />
          <PasswordField
            label="Password"
            description={`At least ${MIN_PASSWORD_LENGTH} characters`}
            withAsterisk
            autoComplete="new-password"
            value={values.password}
            onChange={(e) => setField('password', e.currentTarget.value)}
            error={errors.password}
            data-autofocus
          />
          <Button type="submit" loading={accept.isPending} fullWidth mt="xs">
            Accept invitation
          </Button>
        </Stack>
      </form>
    </CenteredCard>
  );
}
