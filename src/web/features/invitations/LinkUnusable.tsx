import { Button, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { paths } from '../../../shared/paths.ts';
import { CenteredCard } from '../../components/CenteredCard.tsx';
import type { LinkUnusableReason } from '../../lib/types.ts';

export type ReasonTexts = Record<LinkUnusableReason, { title: string; text: string }>;

/** A link that can no longer be used: a clear page per reason, and the way to sign in. */
export function LinkUnusable({ reason, texts }: { reason: LinkUnusableReason; texts: ReasonTexts }) {
  const { title, text } = texts[reason] ?? texts.unknown;
  return (
    <CenteredCard title={title}>
      <Stack gap="md">
        <Text size="sm">{text}</Text>
        <Button component={Link} to={paths.login()}>
          Go to sign in
        </Button>
      </Stack>
    </CenteredCard>
  );
}
