import { Alert, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { errorMessage } from '../../lib/api.ts';

/** A background refresh failed: what is shown may be out of date. */
export function RefreshProblem({ error, what }: { error: unknown; what: string }) {
  return (
    <Alert color="yellow" variant="light" icon={<IconAlertTriangle aria-hidden />} py="xs">
      <Text size="sm">
        Could not refresh {what}: {errorMessage(error)} What you see may be out of date; Baton keeps trying.
      </Text>
    </Alert>
  );
}
