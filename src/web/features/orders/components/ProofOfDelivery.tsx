import { Anchor, Box, Group, Image, Paper, Stack, Text } from '@mantine/core';
import { IconPhotoOff } from '@tabler/icons-react';
import { useState } from 'react';
import type { Task } from '../../../lib/types.ts';
import { endedByDecision, failureReasonText } from '../lib/labels.ts';

const fileUrl = (id: string) => `/files/${encodeURIComponent(id)}`;

/** An uploaded image (photo or signature) that opens full size in a new tab. */
function UploadImage({ id, alt, width, height, fit = 'cover' }: { id: string; alt: string; width: number; height: number; fit?: 'cover' | 'contain' }) {
  const [failed, setFailed] = useState(false);
  if (failed) {
    return (
      <Paper w={width} h={height} radius="sm" bg="gray.0">
        <Stack h="100%" align="center" justify="center" gap={4} p={4}>
          <IconPhotoOff size={20} aria-hidden />
          <Text size="xs" c="dimmed" ta="center">
            {alt}: not available
          </Text>
        </Stack>
      </Paper>
    );
  }
  return (
    <Anchor href={fileUrl(id)} target="_blank" rel="noopener" aria-label={`${alt} (opens full size in a new tab)`}>
      <Image
        src={fileUrl(id)}
        alt={alt}
        w={width}
        h={height}
        fit={fit}
        bg="white"
        radius="sm"
        style={{ border: '1px solid var(--mantine-color-gray-3)' }}
        onError={() => setFailed(true)}
      />
    </Anchor>
  );
}

/** What the driver left when completing the task: notes, failure reason, photos, signature. */
export function ProofOfDelivery({ task }: { task: Task }) {
  const c = task.completionDetails;
  if (task.state !== 3 || endedByDecision(task)) return null;
  const photos = c.photoUploadIds.length ? c.photoUploadIds : c.photoUploadId ? [c.photoUploadId] : [];
  const hasAnything = c.notes.trim() || photos.length || c.signatureUploadId || c.success === false;
  return (
    <Stack gap="xs">
      <Text size="sm" fw={600}>
        {c.success === false ? 'Outcome' : task.pickupTask ? 'Proof of pickup' : 'Proof of delivery'}
      </Text>
      {!hasAnything ? (
        <Text size="sm" c="dimmed">
          The driver left no notes, photos or signature.
        </Text>
      ) : null}
      {c.success === false ? (
        <Text size="sm">
          <Text span fw={600}>
            Reason:
          </Text>{' '}
          {failureReasonText(c.failureReason)}
        </Text>
      ) : null}
      {c.notes.trim() ? (
        <Box>
          <Text size="xs" c="dimmed">
            Completion notes
          </Text>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {c.notes}
          </Text>
        </Box>
      ) : null}
      {photos.length ? (
        <Box>
          <Text size="xs" c="dimmed" mb={4}>
            Photos
          </Text>
          <Group gap="xs">
            {photos.map((id, i) => (
              <UploadImage key={id} id={id} alt={`Photo ${i + 1}`} width={96} height={96} />
            ))}
          </Group>
        </Box>
      ) : null}
      {c.signatureUploadId ? (
        <Box>
          <Text size="xs" c="dimmed" mb={4}>
            Signature
          </Text>
          <UploadImage id={c.signatureUploadId} alt="Signature" width={200} height={90} fit="contain" />
        </Box>
      ) : null}
    </Stack>
  );
}
