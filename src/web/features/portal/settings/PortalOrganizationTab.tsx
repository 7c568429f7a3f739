import { Alert, Anchor, Button, Center, Group, Image, Paper, SimpleGrid, Stack, Text, TextInput, ThemeIcon, Title } from '@mantine/core';
import { Dropzone, IMAGE_MIME_TYPE, type FileRejection } from '@mantine/dropzone';
import { IconInfoCircle, IconPhoto, IconTrash, IconUpload, IconX } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Link } from 'react-router';
import { paths } from '../../../../shared/paths.ts';
import { FormAlert } from '../../../components/FormAlert.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { TimezoneSelect } from '../../../components/ZoneAndCountryFields.tsx';
import { isBlank, useFormState, type FieldErrors } from '../../../lib/form.ts';
import { useFormatters } from '../../../lib/format.ts';
import { notifyError, notifySuccess } from '../../../lib/notify.ts';
import { usePermissions } from '../../../lib/session.tsx';
import type { Organization } from '../../../lib/types.ts';
import { organizationQuery, useRemoveLogo, useUpdateOrganization, useUploadLogo } from '../../settings/api/organization.ts';

const LOGO_TYPES = IMAGE_MIME_TYPE.filter((t) => ['image/png', 'image/jpeg', 'image/webp'].includes(t));
const LOGO_MAX_BYTES = 2 * 1024 * 1024;

/** The client organization: its name, time zone and logo. */
export function PortalOrganizationTab() {
  const organization = useQuery(organizationQuery);
  const { canAdminister } = usePermissions();
  return (
    <QueryState query={organization} loadingLabel="Loading your organization…" errorTitle="Could not load the organization">
      {(org) => (
        <Stack gap="lg">
          {!canAdminister ? (
            <Alert color="blue" variant="light" icon={<IconInfoCircle aria-hidden />}>
              Only administrators can change these settings.
            </Alert>
          ) : null}
          <DetailsForm key={org.timeLastModified} org={org} editable={canAdminister} />
          <LogoSection org={org} editable={canAdminister} />
        </Stack>
      )}
    </QueryState>
  );
}

type Values = { name: string; timezone: string };

function DetailsForm({ org, editable }: { org: Organization; editable: boolean }) {
  const update = useUpdateOrganization();
  const fmt = useFormatters();
  const form = useFormState<Values>({ name: org.name, timezone: org.timezone });
  const { values, errors, setField } = form;
  const changed = values.name.trim() !== org.name || values.timezone !== org.timezone;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const problems: FieldErrors<Values> = {};
    if (isBlank(values.name)) problems.name = 'Enter your organization’s name.';
    form.setErrors(problems);
    form.setFormError(null);
    if (Object.keys(problems).length) return;
    update.mutate(
      {
        ...(values.name.trim() !== org.name ? { name: values.name.trim() } : {}),
        ...(values.timezone !== org.timezone ? { timezone: values.timezone } : {}),
      },
      {
        onSuccess: () => notifySuccess('Your organization’s settings were saved.'),
        onError: (error) => {
          form.showServerError(error);
          notifyError(error, 'Could not save the settings');
        },
      },
    );
  };

  return (
    <Paper p="lg" radius="md" component="section" aria-labelledby="portal-org-title">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <Stack gap={2}>
            <Title order={2} fz="lg" id="portal-org-title">
              Details
            </Title>
            <Text size="sm" c="dimmed">
              Created {fmt.date(org.timeCreated)}
            </Text>
          </Stack>
          <FormAlert message={form.formError} />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <TextInput
              label="Organization name"
              withAsterisk
              description="As your courier and your recipients see it"
              value={values.name}
              onChange={(e) => setField('name', e.currentTarget.value)}
              error={errors.name}
              disabled={!editable}
            />
            <TimezoneSelect
              value={values.timezone}
              onChange={(v) => setField('timezone', v)}
              description="Times in this portal are shown in this zone"
              error={errors.timezone}
              disabled={!editable}
            />
            <TextInput
              label="Organization email"
              value={org.email}
              readOnly
              description={
                <>
                  The account owner’s sign-in email. Change it under{' '}
                  <Anchor component={Link} to={paths.portalSettings('account')} inherit underline="always">
                    Your account
                  </Anchor>, where the new address is confirmed by a link.
                </>
              }
            />
          </SimpleGrid>
          {editable ? (
            <Group justify="flex-end">
              <Button type="submit" loading={update.isPending} disabled={!changed}>
                Save changes
              </Button>
            </Group>
          ) : null}
        </Stack>
      </form>
    </Paper>
  );
}

function rejectionMessage(rejections: FileRejection[]): string {
  const codes = rejections.flatMap((r) => r.errors.map((e) => e.code));
  if (codes.includes('too-many-files')) return 'Drop a single image.';
  if (codes.includes('file-too-large')) return 'The logo must be at most 2 MB.';
  if (codes.includes('file-invalid-type')) return 'The logo must be a PNG, JPEG or WebP image.';
  return rejections[0]?.errors[0]?.message ?? 'That file cannot be used as a logo.';
}

function LogoSection({ org, editable }: { org: Organization; editable: boolean }) {
  const upload = useUploadLogo();
  const remove = useRemoveLogo();

  return (
    <Paper p="lg" radius="md" component="section" aria-labelledby="portal-logo-title">
      <Stack gap="md">
        <Stack gap={2}>
          <Title order={2} fz="lg" id="portal-logo-title">
            Logo
          </Title>
          <Text size="sm" c="dimmed">
            Shown at the top of this portal. PNG, JPEG or WebP, at most 2 MB.
          </Text>
        </Stack>
        <Group align="stretch" gap="lg">
          <Paper w={160} h={120} radius="md" bg="gray.0">
            <Center h="100%">
              {org.image ? (
                <Image src={org.image} alt={`${org.name} logo`} maw={140} mah={100} fit="contain" />
              ) : (
                <Text size="sm" c="dimmed">
                  No logo
                </Text>
              )}
            </Center>
          </Paper>
          {editable ? (
            <Stack gap="sm" style={{ flex: '1 1 280px' }}>
              <Dropzone
                onDrop={(files) => {
                  const file = files[0];
                  if (!file) return;
                  upload.mutate(file, {
                    onSuccess: () => notifySuccess('The logo was updated.'),
                    onError: (e) => notifyError(e, 'Could not upload the logo'),
                  });
                }}
                onReject={(rejections) => notifyError(new Error(rejectionMessage(rejections)), 'Could not use that file')}
                accept={LOGO_TYPES}
                maxSize={LOGO_MAX_BYTES}
                multiple={false}
                loading={upload.isPending}
                aria-label="Upload a logo: drop an image here or press Enter to choose one"
                inputProps={{ 'aria-label': 'Logo image file' }}
                radius="md"
              >
                <Group justify="center" gap="md" mih={88} style={{ pointerEvents: 'none' }}>
                  <Dropzone.Accept>
                    <ThemeIcon size={40} radius="xl" variant="light" color="green" aria-hidden>
                      <IconUpload size={22} />
                    </ThemeIcon>
                  </Dropzone.Accept>
                  <Dropzone.Reject>
                    <ThemeIcon size={40} radius="xl" variant="light" color="red" aria-hidden>
                      <IconX size={22} />
                    </ThemeIcon>
                  </Dropzone.Reject>
                  <Dropzone.Idle>
                    <ThemeIcon size={40} radius="xl" variant="light" aria-hidden>
                      <IconPhoto size={22} />
                    </ThemeIcon>
                  </Dropzone.Idle>
                  <Stack gap={2}>
                    <Text fw={600}>Drop an image here, or click to choose one</Text>
                    <Text size="sm" c="dimmed">
                      {org.image ? 'It replaces the current logo.' : 'A square or wide logo works best.'}
                    </Text>
                  </Stack>
                </Group>
              </Dropzone>
              {org.image ? (
                <Group>
                  <Button
                    variant="default"
                    color="red"
                    leftSection={<IconTrash size={16} aria-hidden />}
                    loading={remove.isPending}
                    onClick={() =>
                      remove.mutate(undefined, {
                        onSuccess: () => notifySuccess('The logo was removed.'),
                        onError: (e) => notifyError(e, 'Could not remove the logo'),
                      })
                    }
                  >
                    Remove logo
                  </Button>
                </Group>
              ) : null}
            </Stack>
          ) : null}
        </Group>
      </Stack>
    </Paper>
  );
}
