import { Group, Rating, Stack, Text } from '@mantine/core';
import { useFormatters } from '../../../lib/format.ts';
import type { Task } from '../../../lib/types.ts';

/** What the recipient said about the delivery on the tracking page, and whether it opened the page. */
export function RecipientFeedback({ task }: { task: Task }) {
  const fmt = useFormatters();
  const given = task.feedback[0];
  return (
    <Stack gap={4} component="section" aria-label="Recipient feedback">
      <Text size="sm" fw={600}>
        Recipient feedback
      </Text>
      {given ? (
        <>
          <Group gap="xs">
            <Rating value={given.rating} readOnly aria-label={`Rated ${given.rating} out of 5`} />
            <Text size="xs" c="dimmed">
              {fmt.dateTime(given.time)}
            </Text>
          </Group>
          {given.comments ? (
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              “{given.comments}”
            </Text>
          ) : null}
        </>
      ) : (
        <Text size="sm" c="dimmed">
          {task.trackingViewed ? 'The recipient opened the tracking page but has not rated the delivery.' : 'The recipient has not opened the tracking page yet.'}
        </Text>
      )}
    </Stack>
  );
}
