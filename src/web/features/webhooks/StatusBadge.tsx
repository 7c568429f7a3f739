import { Badge } from '@mantine/core';
import type { Webhook } from './api/webhooks.ts';

/** On (green), Off (gray), or Off in red when Baton turned it off after failed deliveries. */
export function StatusBadge({ webhook }: { webhook: Webhook }) {
  if (webhook.isEnabled) {
    return (
      <Badge variant="light" color="green" tt="none">
        On
      </Badge>
    );
  }
  return (
    <Badge variant="light" color={webhook.disabledReason ? 'red' : 'gray'} tt="none">
      Off
    </Badge>
  );
}
