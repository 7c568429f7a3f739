import { Button, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { paths } from '../../../shared/paths.ts';
import { CenteredCard } from '../../components/CenteredCard.tsx';
import { FormAlert } from '../../components/FormAlert.tsx';
import { errorMessage } from '../../lib/api.ts';
import { sessionQuery } from '../../lib/queries.ts';
import type { EmailConfirmation } from '../../lib/types.ts';
import { unusableReason, useConfirmEmail } from './api/invitations.ts';
import { LinkUnusable, type ReasonTexts } from './LinkUnusable.tsx';

const CONFIRMATION_TEXTS: ReasonTexts = {
  used: {
    title: 'This address was already confirmed',
    text: 'The link has been used, so the change is in effect. Sign in with the new address.',
  },
  expired: {
    title: 'This confirmation link has expired',
    text: 'Links to confirm a new email address work for 48 hours. Ask for the change again to get a new link.',
  },
  voided: {
    title: 'This confirmation link is out of date',
    text: 'The email change was withdrawn or replaced by a newer one. Use the link in the most recent email, if any.',
  },
  deleted: {
    title: 'This account no longer exists',
    text: 'The account this address belongs to was removed or deactivated, so there is nothing to confirm.',
  },
  unknown: {
    title: 'This confirmation link is not valid',
    text: 'Check that you opened the whole link from the email.',
  },
};

/**
 * /confirm-email/:token — applies a pending email change. It waits for a click: mail scanners
 * open links on their own, and opening this page must not change anything.
 */
export function ConfirmEmailPage() {
  const { token = '' } = useParams();
  const confirm = useConfirmEmail(token);

  if (confirm.isSuccess) return <Confirmed result={confirm.data} />;
  const reason = confirm.isError ? unusableReason(confirm.error) : null;
  if (reason) return <LinkUnusable reason={reason} texts={CONFIRMATION_TEXTS} />;

  return (
    <CenteredCard title="Confirm your new email address" description="One more step to finish changing the email address.">
      <Stack gap="md">
        <FormAlert message={confirm.isError ? errorMessage(confirm.error) : null} title="Could not confirm the address" />
        <Text size="sm">
          Someone asked to use this address on Baton. If it was you, or your courier told you about the change, confirm
          it. Otherwise close this page and nothing will change.
        </Text>
        <Button loading={confirm.isPending} onClick={() => confirm.mutate()} fullWidth>
          Confirm my new email address
        </Button>
      </Stack>
    </CenteredCard>
  );
}

function Confirmed({ result }: { result: EmailConfirmation }) {
  const session = useQuery(sessionQuery);
  const signedIn = Boolean(session.data);
  return (
    <CenteredCard title="Email address confirmed">
      <Stack gap="md">
        <Text size="sm">
          {result.kind === 'client'
            ? `${result.email} is now your organization’s email address with your courier. If you signed in with the previous address, sign in with this one from now on.`
            : `You now sign in with ${result.email}.`}
        </Text>
        <Button component={Link} to={signedIn ? paths.dashboard() : paths.login()}>
          {signedIn ? 'Continue' : 'Go to sign in'}
        </Button>
      </Stack>
    </CenteredCard>
  );
}
