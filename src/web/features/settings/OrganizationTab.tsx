import { Alert, Button, Center, Group, Image, Paper, SimpleGrid, Stack, Text, TextInput, ThemeIcon, Title } from '@mantine/core';
import { Dropzone, IMAGE_MIME_TYPE, type FileRejection } from '@mantine/dropzone';
import { IconInfoCircle, IconPhoto, IconTrash, IconUpload, IconX } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { FormAlert } from '../../components/FormAlert.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { CountrySelect, TimezoneSelect } from '../../components/ZoneAndCountryFields.tsx';
import { isBlank, looksLikeEmail, useFormState, type FieldErrors } from '../../lib/form.ts';
import { useFormatters } from '../../lib/format.ts';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import { usePermissions } from '../../lib/session.tsx';
import type { Organization } from '../../lib/types.ts';
import { organizationQuery, useRemoveLogo, useUpdateOrganization, useUploadLogo, type UpdateOrganizationInput } from './api/organization.ts';

const LOGO_TYPES = IMAGE_MIME_TYPE.filter((t) => ['image/png', 'image/jpeg', 'image/webp'].includes(t));
const LOGO_MAX_BYTES = 2 * 1024 * 1024;

export function OrganizationTab() {
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
          <OrganizationForm key={org.timeLastModified} org={org} editable={canAdminister} />
          <LogoSection org={org} editable={canAdminister} />
        </Stack>
      )}
    </QueryState>
  );
}

type Values = Required<UpdateOrganizationInput>;

function OrganizationForm({ org, editable }: { org: Organization; editable: boolean }) {
  const update = useUpdateOrganization();
  const fmt = useFormatters();
  const form = useFormState<Values>({ name: org.name, email: org.email, country: org.country, timezone: org.timezone });
  const { values, errors, setField } = form;
  const changed = (Object.keys(values) as (keyof Values)[]).filter((k) => values[k] !== org[k]);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const problems: FieldErrors<Values> = {};
    if (isBlank(values.name)) problems.name = 'Enter the organization’s name.';
    if (!looksLikeEmail(values.email)) problems.email = 'Enter a valid email address.';
    form.setErrors(problems);
    form.setFormError(null);
    if (Object.keys(problems).length) return;
    const input: UpdateOrganizationInput = {};
    for (const k of changed) input[k] = values[k].trim();
    update.mutate(input, {
      onSuccess: () => notifySuccess('The organization’s settings were saved.'),
      onError: (error) => {
        form.showServerError(error);
        notifyError(error, 'Could not save the settings');
      },
    });
  };

  return (
    <Paper p="lg" radius="md" component="section" aria-labelledby="org-details-title">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <Stack gap={2}>
            <Title order={2} fz="lg" id="org-details-title">
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
              description="As clients and drivers will see it"
              value={values.name}
              onChange={(e) => setField('name', e.currentTarget.value)}
              error={errors.name}
              disabled={!editable}
            />
            <TextInput
              label="Contact email"
              type="email"
              withAsterisk
              description="Shown to clients and used as the reply address"
              value={values.email}
              onChange={(e) => setField('email', e.currentTarget.value)}
              error={errors.email}
              disabled={!editable}
            />
            <CountrySelect
              value={values.country}
              onChange={(v) => setField('country', v)}
              description="Phone numbers without a country code are read as this country's"
              error={errors.country}
              disabled={!editable}
            />
            <TimezoneSelect
              value={values.timezone}
              onChange={(v) => setField('timezone', v)}
              description="Times across Baton are shown in this zone"
              error={errors.timezone}
              disabled={!editable}
            />
          </SimpleGrid>
          {editable ? (
            <Group justify="flex-end">
              <Button type="submit" loading={update.isPending} disabled={changed.length === 0}>
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
    <Paper p="lg" radius="md" component="section" aria-labelledby="org-logo-title">
      <Stack gap="md">
        <Stack gap={2}>
          <Title order={2} fz="lg" id="org-logo-title">
            Logo
          </Title>
          <Text size="sm" c="dimmed">
            Shown in the dashboard header, the client portal and emails. PNG, JPEG or WebP, up to 2 MB.
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
