import { Button, Code, Stack, Text } from '@mantine/core';
import { isRouteErrorResponse, Link, useRouteError } from 'react-router';
import { paths } from '../../shared/paths.ts';
import { CenteredCard } from './CenteredCard.tsx';

/** Shown when a page fails to render. */
export function RouteError() {
  const error = useRouteError();
  const detail = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : String(error);
  return (
    <CenteredCard title="Something went wrong" description="This page could not be shown. Reloading often helps.">
      <Stack gap="md">
        <Code block>{detail}</Code>
        <Text size="sm" c="dimmed">
          If it keeps happening, tell your administrator what you were doing when it broke.
        </Text>
        <Button onClick={() => window.location.reload()}>Reload the page</Button>
        <Button component={Link} to={paths.dashboard()} variant="default">
          Go to the dashboard
        </Button>
      </Stack>
    </CenteredCard>
  );
}
