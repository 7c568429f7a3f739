import { Badge, Tooltip } from '@mantine/core';
import type { LiveStatus } from '../api/live-updates.ts';

const TEXT: Record<LiveStatus, { label: string; color: string; hint: string }> = {
  live: { label: 'Live', color: 'green', hint: 'Changes appear here as they happen.' },
  connecting: { label: 'Connecting…', color: 'gray', hint: 'Connecting to live updates.' },
  offline: { label: 'Not live', color: 'orange', hint: 'Live updates are unavailable; reload the page to see changes.' },
};

/** Whether the page is receiving live updates. */
export function LiveBadge({ status }: { status: LiveStatus }) {
  const t = TEXT[status];
  return (
    <Tooltip label={t.hint}>
      <Badge variant="dot" color={t.color} tt="none" size="lg" role="status" aria-label={`${t.label}: ${t.hint}`} tabIndex={0}>
        {t.label}
      </Badge>
    </Tooltip>
  );
}
