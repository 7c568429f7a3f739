import { Avatar, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { paths } from '../../../shared/paths.ts';
import { CenteredCard } from '../../components/CenteredCard.tsx';
import { FormAlert } from '../../components/FormAlert.tsx';
import { PasswordField } from '../../components/PasswordField.tsx';
import { ErrorState, LoadingState } from '../../components/QueryState.tsx';
import { isBlank, MIN_PASSWORD_LENGTH, useFormState, type FieldErrors } from '../../lib/form.ts';
import { makeFormatters } from '../../lib/format.ts';
import { browserTimezone } from '../../lib/places.ts';
import type { ClientInvitation, LinkUnusableReason } from '../../lib/types.ts';
import { clientInvitationQuery, unusableReason, useAcceptClientInvitation, type AcceptClientInvitationInput } from './api/invitations.ts';
import { LinkUnusable, type ReasonTexts } from './LinkUnusable.tsx';

const INVITATION_TEXTS: ReasonTexts = {
  used: {
    title: 'This invitation was already accepted',
    text: 'The client account exists already. Sign in with the email address and the password chosen when the invitation was accepted.',
  },
  expired: {
    title: 'This invitation has expired',
    text: 'Invitations work for 7 days. Ask your courier to send you a new one.',
  },
  voided: {
    title: 'This invitation was replaced',
    text: 'Your courier sent a newer invitation, or sent it to another address. Use the link in the most recent invitation email.',
  },
  deleted: {
    title: 'This invitation was withdrawn',
    text: 'Your courier removed this client account, so the invitation no longer works. Contact your courier if you think this is a mistake.',
  },
  unknown: {
    title: 'This invitation link is not valid',
    text: 'Check that you opened the whole link from the invitation email. If it still does not work, ask your courier for a new invitation.',
  },
};

/** /invite/:token — a client accepts its courier's invitation and creates its portal account. */
export function AcceptInvitationPage() {
  const { token = '' } = useParams();
  const invitation = useQuery(clientInvitationQuery(token));
  const [goneReason, setGoneReason] = useState<LinkUnusableReason | null>(null);

  if (goneReason) return <LinkUnusable reason={goneReason} texts={INVITATION_TEXTS} />;
  if (invitation.isPending) {
    return (
      <CenteredCard title="Accept your invitation">
        <LoadingState label="Opening your invitation…" />
      </CenteredCard>
    );
  }
  if (invitation.isError) {
    const reason = unusableReason(invitation.error);
    if (reason) return <LinkUnusable reason={reason} texts={INVITATION_TEXTS} />;
    return (
      <CenteredCard title="Accept your invitation">
        <ErrorState error={invitation.error} title="Could not open the invitation" onRetry={() => void invitation.refetch()} />
      </CenteredCard>
    );
  }
  return <AcceptForm token={token} invitation={invitation.data} onGone={setGoneReason} />;
}

type Values = Required<AcceptClientInvitationInput>;

function AcceptForm({
  token,
  invitation,
  onGone,
}: {
  token: string;
  invitation: ClientInvitation;
  onGone: (reason: LinkUnusableReason) => void;
}) {
  const navigate = useNavigate();
  const accept = useAcceptClientInvitation(token);
  const form = useFormState<Values>({ name: '', password: '', organizationName: invitation.clientName });
  const { values, errors, setField } = form;
  const fmt = makeFormatters(browserTimezone());

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const problems: FieldErrors<Values> = {};
    if (isBlank(values.name)) problems.name = 'Enter your name.';
    if (values.password.length < MIN_PASSWORD_LENGTH) problems.password = `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
    if (isBlank(values.organizationName)) problems.organizationName = 'Enter your organization’s name.';
    form.setErrors(problems);
    form.setFormError(null);
    if (Object.keys(problems).length) return;
    accept.mutate(
      { name: values.name.trim(), password: values.password, organizationName: values.organizationName.trim() },
      {
        onSuccess: () => navigate(paths.portal(), { replace: true }),
        onError: (error) => {
          const reason = unusableReason(error);
          if (reason && reason !== 'unknown') onGone(reason);
          else form.showServerError(error);
        },
      },
    );
  };

  return (
    <CenteredCard
      title={`Join ${invitation.courierName}’s client portal`}
      description={`Create your account to send delivery orders to ${invitation.courierName} and follow them live.`}
      width={480}
    >
      <Group gap="sm" wrap="nowrap">
        <Avatar src={invitation.courierLogo} alt="" radius="md" size={48} color="indigo">
          {invitation.courierName.slice(0, 1).toUpperCase()}
        </Avatar>
        <Stack gap={0} style={{ minWidth: 0 }}>
          <Text fw={600}>{invitation.courierName}</Text>
          <Text size="sm" c="dimmed">
            invites {invitation.clientName} · link valid until {fmt.date(invitation.expiresAt)}
          </Text>
        </Stack>
      </Group>
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
            data-autofocus
            autoFocus
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
          <TextInput
            label="Organization name"
            withAsterisk
            description={`How ${invitation.courierName} and your recipients will see your business`}
            autoComplete="organization"
            value={values.organizationName}
            onChange={(e) => setField('organizationName', e.currentTarget.value)}
            error={errors.organizationName}
          />
          <Button type="submit" loading={accept.isPending} fullWidth mt="xs">
            Accept invitation
          </Button>
        </Stack>
      </form>
    </CenteredCard>
  );
}
