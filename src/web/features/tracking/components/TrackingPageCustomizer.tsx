import {
  Alert,
  Anchor,
  Box,
  Button,
  ColorInput,
  Flex,
  Group,
  Paper,
  ScrollArea,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { IconInfoCircle, IconRestore } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import { paths } from '../../../../shared/paths.ts';
import { confirmAction } from '../../../components/confirm.tsx';
import { FormAlert } from '../../../components/FormAlert.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { isBlank, looksLikeEmail, useFormState, type FieldErrors } from '../../../lib/form.ts';
import { notifyError, notifySuccess } from '../../../lib/notify.ts';
import { usePermissions, useSession } from '../../../lib/session.tsx';
import { trackingPageQuery, useResetTrackingPage, useUpdateTrackingPage } from '../api/tracking-page.ts';
import type { TrackingPageInput, TrackingPageSettings } from '../api/types.ts';
import { DEFAULT_ACCENT, normalizeHex, textOn } from '../../../lib/colors.ts';
import { sampleTracking, type SampleScene } from '../lib/sample.ts';
import { useNow } from '../lib/use-now.ts';
import { TrackingView } from './TrackingView.tsx';

const MAX_HEADLINE = 120;
const MAX_MESSAGE = 1000;
const SWATCHES = ['#3b5bdb', '#1971c2', '#0c8599', '#2b8a3e', '#e8590c', '#c92a2a', '#a61e4d', '#6741d9', '#212529'];

export type Audience = 'courier' | 'client';

interface Values {
  logo: string;
  primaryColor: string;
  headline: string;
  message: string;
  contactPhone: string;
  contactEmail: string;
  showDriverName: boolean;
  showDriverPhoto: boolean;
  showDriverLocation: boolean;
  showProofOfDelivery: boolean;
  feedbackEnabled: boolean;
}

// showDriverPhoto is kept by the API for compatibility; drivers have no profile photos yet, so it is not offered.
type SwitchField = 'showDriverName' | 'showDriverLocation' | 'showProofOfDelivery' | 'feedbackEnabled';

const SWITCHES: { field: SwitchField; label: string; description: string }[] = [
  {
    field: 'showDriverName',
    label: 'Show the driver’s name',
    description: 'Recipients read “Alex is on the way”. Off: “Your driver is on the way”.',
  },
  {
    field: 'showDriverLocation',
    label: 'Show the driver’s live location',
    description: 'Recipients follow the driver on a map while the delivery is on its way. Off: the map shows only the destination.',
  },
  {
    field: 'showProofOfDelivery',
    label: 'Show proof of delivery',
    description: 'Once delivered, recipients see the driver’s notes, photo and the signature collected at the door.',
  },
  {
    field: 'feedbackEnabled',
    label: 'Ask for feedback',
    description: 'Once delivered, recipients can rate the delivery from 1 to 5 stars and leave a comment.',
  },
];

function toValues(s: TrackingPageSettings): Values {
  return {
    logo: s.logo ?? '',
    primaryColor: s.primaryColor,
    headline: s.headline,
    message: s.message,
    contactPhone: s.contactPhone ?? '',
    contactEmail: s.contactEmail ?? '',
    showDriverName: s.showDriverName,
    showDriverPhoto: s.showDriverPhoto,
    showDriverLocation: s.showDriverLocation,
    showProofOfDelivery: s.showProofOfDelivery,
    feedbackEnabled: s.feedbackEnabled,
  };
}

function toInput(v: Values): Required<TrackingPageInput> {
  const orNull = (s: string) => (s.trim() ? s.trim() : null);
  return {
    logo: orNull(v.logo),
    primaryColor: normalizeHex(v.primaryColor) ?? v.primaryColor.trim(),
    headline: v.headline.trim(),
    message: v.message.trim(),
    contactPhone: orNull(v.contactPhone),
    contactEmail: orNull(v.contactEmail),
    showDriverName: v.showDriverName,
    showDriverPhoto: v.showDriverPhoto,
    showDriverLocation: v.showDriverLocation,
    showProofOfDelivery: v.showProofOfDelivery,
    feedbackEnabled: v.feedbackEnabled,
  };
}

function validate(v: Values): FieldErrors<Values> {
  const problems: FieldErrors<Values> = {};
  const logo = v.logo.trim();
  if (logo && !/^https?:\/\/\S+$/i.test(logo)) problems.logo = 'Enter the image’s web address, starting with https://';
  if (!normalizeHex(v.primaryColor)) problems.primaryColor = 'Enter a colour as #rrggbb, for example #3b5bdb.';
  if (v.headline.trim().length > MAX_HEADLINE) problems.headline = `Keep the headline to ${MAX_HEADLINE} characters.`;
  if (v.message.trim().length > MAX_MESSAGE) problems.message = `Keep the message to ${MAX_MESSAGE} characters.`;
  if (!/^[0-9+()\-. ]*$/.test(v.contactPhone.trim())) problems.contactPhone = 'Use only digits, spaces and + ( ) - .';
  if (!isBlank(v.contactEmail) && !looksLikeEmail(v.contactEmail)) problems.contactEmail = 'Enter a valid email address.';
  return problems;
}

/** The tracking page customizer: the form, and a live preview of the page beside it. */
export function TrackingPageCustomizer({ audience }: { audience: Audience }) {
  const settings = useQuery(trackingPageQuery);
  return (
    <QueryState query={settings} loadingLabel="Loading the tracking page…" errorTitle="Could not load the tracking page">
      {/* A new form whenever the saved settings change (after saving or resetting), not on every refetch. */}
      {(s) => <Customizer key={JSON.stringify(s)} settings={s} audience={audience} />}
    </QueryState>
  );
}

function Customizer({ settings, audience }: { settings: TrackingPageSettings; audience: Audience }) {
  const { organization } = useSession();
  const { canAdminister } = usePermissions();
  const editable = canAdminister;
  const update = useUpdateTrackingPage();
  const reset = useResetTrackingPage();
  const initial = useMemo(() => toValues(settings), [settings]);
  const form = useFormState<Values>(initial);
  const { values, errors, setField } = form;
  const changed = JSON.stringify(toInput(values)) !== JSON.stringify(toInput(initial));

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const problems = validate(values);
    form.setErrors(problems);
    form.setFormError(null);
    if (Object.keys(problems).length) return;
    update.mutate(toInput(values), {
      onSuccess: () => notifySuccess('Recipients now see the new tracking page.', 'Tracking page saved'),
      onError: (error) => {
        form.showServerError(error);
        notifyError(error, 'Could not save the tracking page');
      },
    });
  };

  const onReset = () =>
    confirmAction({
      title: 'Reset the tracking page?',
      message:
        audience === 'client'
          ? 'Your logo, colour, texts and choices here are removed, and your recipients see your courier’s tracking page again.'
          : 'Your logo, colour, texts and choices here are replaced by Baton’s defaults. Clients that have branded their own page keep theirs.',
      confirmLabel: 'Reset to default',
      onConfirm: () =>
        reset.mutate(undefined, {
          onSuccess: () => notifySuccess('The tracking page was reset to the default.'),
          onError: (error) => notifyError(error, 'Could not reset the tracking page'),
        }),
    });

  const settingsLink = audience === 'client' ? paths.portalSettings('organization') : paths.settings('organization');

  return (
    <Stack gap="lg">
      {settings.inherited && audience === 'client' ? (
        <Alert color="blue" variant="light" icon={<IconInfoCircle aria-hidden />} title="You are using your courier’s tracking page">
          Your recipients see the page your courier set up, as in the preview. Saving here makes this page your own: from then on,
          your courier’s changes no longer apply to it.
        </Alert>
      ) : null}
      {settings.inherited && audience === 'courier' ? (
        <Alert color="blue" variant="light" icon={<IconInfoCircle aria-hidden />} title="You are using Baton’s default tracking page">
          Recipients see the page as in the preview. Saving here makes it your own.
        </Alert>
      ) : null}
      {!editable ? (
        <Alert color="blue" variant="light" icon={<IconInfoCircle aria-hidden />}>
          Only administrators can change the tracking page.
        </Alert>
      ) : null}
      <Flex direction={{ base: 'column', lg: 'row' }} gap="xl" align={{ base: 'stretch', lg: 'flex-start' }}>
        <Box style={{ flex: '1 1 0', minWidth: 0 }}>
          <form onSubmit={onSubmit} noValidate aria-label="Tracking page settings">
            <Stack gap="lg">
              <FormAlert message={form.formError} />
              <FormSection title="Look" id="tracking-look">
                <TextInput
                  label="Logo URL"
                  placeholder="https://example.com/logo.png"
                  type="url"
                  description={
                    <>
                      The address of an image. Leave it empty to use your organization’s logo from the{' '}
                      <Anchor component={Link} to={settingsLink} size="xs" underline="always">
                        organization settings
                      </Anchor>
                      .
                    </>
                  }
                  value={values.logo}
                  onChange={(e) => setField('logo', e.currentTarget.value)}
                  error={errors.logo}
                  disabled={!editable}
                />
                <ColorInput
                  label="Primary colour"
                  description="For the header, buttons and highlights. Text on it is white or dark, whichever reads better."
                  format="hex"
                  swatches={SWATCHES}
                  swatchesPerRow={9}
                  withEyeDropper={false}
                  value={values.primaryColor}
                  onChange={(v) => setField('primaryColor', v)}
                  error={errors.primaryColor}
                  disabled={!editable}
                  maw={320}
                />
              </FormSection>

              <FormSection title="Message" id="tracking-message">
                <TextInput
                  label="Headline"
                  placeholder="Your delivery is on its way"
                  maxLength={MAX_HEADLINE}
                  description={`Up to ${MAX_HEADLINE} characters`}
                  value={values.headline}
                  onChange={(e) => setField('headline', e.currentTarget.value)}
                  error={errors.headline}
                  disabled={!editable}
                />
                <Textarea
                  label="Message"
                  placeholder="Thank you for your order! Questions? Call us."
                  autosize
                  minRows={3}
                  maxRows={10}
                  maxLength={MAX_MESSAGE}
                  description={`${values.message.length} of ${MAX_MESSAGE} characters`}
                  value={values.message}
                  onChange={(e) => setField('message', e.currentTarget.value)}
                  error={errors.message}
                  disabled={!editable}
                />
              </FormSection>

              <FormSection title="Contact" id="tracking-contact" description="Recipients can call or email you from the page. Leave empty to hide.">
                <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
                  <TextInput
                    label="Contact phone"
                    type="tel"
                    autoComplete="off"
                    placeholder="+1 415 555 0100"
                    maxLength={32}
                    value={values.contactPhone}
                    onChange={(e) => setField('contactPhone', e.currentTarget.value)}
                    error={errors.contactPhone}
                    disabled={!editable}
                  />
                  <TextInput
                    label="Contact email"
                    type="email"
                    autoComplete="off"
                    placeholder="help@example.com"
                    value={values.contactEmail}
                    onChange={(e) => setField('contactEmail', e.currentTarget.value)}
                    error={errors.contactEmail}
                    disabled={!editable}
                  />
                </SimpleGrid>
              </FormSection>

              <FormSection title="What recipients see" id="tracking-visibility">
                <Stack gap="md">
                  {SWITCHES.map((s) => (
                    <Switch
                      key={s.field}
                      label={s.label}
                      description={s.description}
                      checked={values[s.field]}
                      onChange={(e) => setField(s.field, e.currentTarget.checked)}
                      error={errors[s.field]}
                      disabled={!editable}
                      styles={{ label: { fontWeight: 500 } }}
                    />
                  ))}
                </Stack>
              </FormSection>

              {editable ? (
                <Group justify="space-between" gap="sm">
                  {!settings.inherited ? (
                    <Button variant="default" leftSection={<IconRestore size={16} aria-hidden />} loading={reset.isPending} onClick={onReset}>
                      Reset to default
                    </Button>
                  ) : (
                    <span />
                  )}
                  <Group gap="sm">
                    {changed ? (
                      <Button variant="subtle" color="gray" onClick={() => form.reset(initial)} disabled={update.isPending}>
                        Discard changes
                      </Button>
                    ) : null}
                    <Button type="submit" loading={update.isPending} disabled={!changed}>
                      Save changes
                    </Button>
                  </Group>
                </Group>
              ) : null}
            </Stack>
          </form>
        </Box>
        <Preview values={values} fallbackColor={settings.primaryColor} merchantName={organization.name} orgLogo={organization.image} />
      </Flex>
    </Stack>
  );
}

function FormSection({ title, id, description, children }: { title: string; id: string; description?: string; children: ReactNode }) {
  return (
    <Paper p="lg" radius="md" component="section" aria-labelledby={id}>
      <Stack gap="md">
        <Stack gap={2}>
          <Title order={2} fz="lg" id={id}>
            {title}
          </Title>
          {description ? (
            <Text size="sm" c="dimmed">
              {description}
            </Text>
          ) : null}
        </Stack>
        {children}
      </Stack>
    </Paper>
  );
}

/** The page as a recipient will see it, with sample data, in a phone-sized frame. */
function Preview({
  values,
  fallbackColor,
  merchantName,
  orgLogo,
}: {
  values: Values;
  fallbackColor: string;
  merchantName: string;
  orgLogo: string | null;
}) {
  const [scene, setScene] = useState<SampleScene>('onTheWay');
  const now = useNow(60_000);
  const color = normalizeHex(values.primaryColor) ?? normalizeHex(fallbackColor) ?? DEFAULT_ACCENT;
  const data = sampleTracking({
    scene,
    now,
    merchantName,
    branding: {
      logo: values.logo.trim() || orgLogo,
      primaryColor: color,
      headline: values.headline.trim(),
      message: values.message.trim(),
      contactPhone: values.contactPhone.trim() || null,
      contactEmail: values.contactEmail.trim() || null,
    },
    showDriverName: values.showDriverName,
    showDriverLocation: values.showDriverLocation,
    showProofOfDelivery: values.showProofOfDelivery,
    feedbackEnabled: values.feedbackEnabled,
  });

  return (
    <Box
      component="section"
      aria-labelledby="tracking-preview-title"
      w={{ base: '100%', lg: 380 }}
      style={{ flex: 'none', position: 'sticky', top: 'calc(var(--app-shell-header-offset, 0px) + var(--mantine-spacing-md))' }}
    >
      <Stack gap="sm" align="center">
        <Stack gap={4} w="100%" maw={360}>
          <Title order={2} fz="lg" id="tracking-preview-title">
            Preview
          </Title>
          <Text size="sm" c="dimmed">
            A sample delivery with your unsaved changes. Text on your colour is {textOn(color) === '#ffffff' ? 'white' : 'dark'}.
          </Text>
          <SegmentedControl
            fullWidth
            size="xs"
            value={scene}
            onChange={(v) => setScene(v as SampleScene)}
            data={[
              { value: 'onTheWay', label: 'On the way' },
              { value: 'completed', label: 'Delivered' },
            ]}
            aria-label="Sample delivery to preview"
          />
        </Stack>
        <Paper
          w={360}
          maw="100%"
          h={680}
          radius={28}
          shadow="md"
          p={0}
          style={{ overflow: 'hidden', borderWidth: 6, borderColor: 'var(--mantine-color-dark-7)' }}
        >
          <ScrollArea
            h="100%"
            type="auto"
            scrollbarSize={6}
            viewportProps={{ tabIndex: 0, role: 'region', 'aria-label': 'Preview of the tracking page' }}
          >
            <TrackingView data={data} preview />
          </ScrollArea>
        </Paper>
      </Stack>
    </Box>
  );
}
