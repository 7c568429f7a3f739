import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconRotate } from '@tabler/icons-react';
import { useState } from 'react';
import { confirmAction } from '../../components/confirm.tsx';
import { SecretField } from '../../components/SecretField.tsx';
import { notifyError } from '../../lib/notify.ts';
import { useRotateSecret } from './api/webhooks.ts';

/** "Rotate signing secret": asks first, then shows the new secret once. */
export function RotateSecretButton({ hasWebhooks }: { hasWebhooks: boolean }) {
  const rotate = useRotateSecret();
  const [secret, setSecret] = useState<string | null>(null);

  const onRotate = () =>
    confirmAction({
      title: 'Rotate the signing secret?',
      message: (
        <Stack gap="xs">
          <Text size="sm">
            Baton will sign every delivery of all your webhooks with a new secret from now on, and the current secret stops
            working at once.
          </Text>
          {hasWebhooks ? (
            <Text size="sm" fw={500}>
              Receivers that check the X-Onfleet-Signature header must switch to the new secret; until they do, they will
              reject your deliveries as forged.
            </Text>
          ) : null}
          <Text size="sm">The new secret is shown only once, right after this.</Text>
        </Stack>
      ),
      confirmLabel: 'Rotate secret',
      onConfirm: () =>
        rotate.mutate(undefined, {
          onSuccess: ({ secret: s }) => setSecret(s),
          onError: (error) => notifyError(error, 'Could not rotate the signing secret'),
        }),
    });

  return (
    <>
      <Button variant="default" leftSection={<IconRotate size={18} aria-hidden />} loading={rotate.isPending} onClick={onRotate}>
        Rotate signing secret
      </Button>
      {secret ? <NewSecretModal secret={secret} onClose={() => setSecret(null)} /> : null}
    </>
  );
}

function NewSecretModal({ secret, onClose }: { secret: string; onClose: () => void }) {
  return (
    <Modal opened onClose={onClose} title="Your new signing secret" closeOnClickOutside={false} size="xl">
      <Stack gap="md">
        <Alert color="yellow" variant="light" icon={<IconAlertTriangle aria-hidden />} title="Copy it now">
          This is the only time the secret is shown: you will not see it again. Store it where your receivers can read it. If
          you lose it, rotate the secret again.
        </Alert>
        <SecretField label="Signing secret" value={secret} description="Hex-decode it and use the bytes as the HMAC-SHA512 key." />
        <Group justify="flex-end">
          <Button onClick={onClose}>Done</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
