import { Button, Stack, Text } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import { paths } from '../../shared/paths.ts';
import { CenteredCard } from './CenteredCard.tsx';

export function NotFoundPage() {
  const location = useLocation();
  return (
    <CenteredCard title="Page not found" description="There is no page at this address.">
      <Stack gap="md">
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          <Text span fw={600}>
            {location.pathname}
          </Text>{' '}
          does not exist. It may have moved, or the link may be mistyped.
        </Text>
        <Button component={Link} to={paths.dashboard()}>
          Go to the dashboard
        </Button>
      </Stack>
    </CenteredCard>
  );
}
