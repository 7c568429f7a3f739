import { Anchor, Box, Button, Group, Image, Paper, Stack, Text, Timeline, Title, type TitleOrder } from '@mantine/core';
import { IconClock, IconMail, IconMapPin, IconPhone } from '@tabler/icons-react';
import { useId, useState, type ReactNode } from 'react';
import type { Tracking } from '../api/types.ts';
import { isFinalStatus } from '../api/tracking.ts';
import { accentOf, type Accent } from '../../../lib/colors.ts';
import { atTime, clock, dayAndTime, minutesUntil, statusDetail, statusLabel, timelineLabel, windowText } from '../lib/labels.ts';
import { useNow } from '../lib/use-now.ts';
import { FeedbackForm } from './FeedbackForm.tsx';
import { TrackingMap } from './TrackingMap.tsx';

/**
 * What a recipient sees of one delivery: the merchant's branding, the status, the driver and the
 * map, the details, proof of delivery and the feedback form. The public page and the customizer's
 * preview both render it; in preview it adds no landmarks, its headings start lower, the map is a
 * drawing and the feedback form cannot be sent.
 */
export function TrackingView({ data, preview = false }: { data: Tracking; preview?: boolean }) {
  const accent = accentOf(data.branding.primaryColor);
  const now = useNow(15_000);
  /** headings start at h1 on the page, at h3 inside the customizer (below its h1 and the preview's h2) */
  const h = (level: number) => Math.min(6, level + (preview ? 2 : 0)) as TitleOrder;
  const { branding } = data;
  const showMap =
    !!data.driver?.location || (!!data.destination.location && !isFinalStatus(data.status) && data.status !== 'scheduled');
  const completedAt = data.status === 'completed' ? data.timeline.find((e) => e.event === 'completed')?.time : undefined;
  const slot = data.status === 'completed' || data.status === 'cancelled' ? null : windowText(data.completeAfter, data.completeBefore, now);
  const events = [...data.timeline].sort((a, b) => a.time - b.time);
  const showFeedback = data.feedback.enabled && data.status === 'completed';
  const hasContact = !!(branding.contactPhone || branding.contactEmail);

  return (
    <Box bg="gray.0" mih="100%">
      <Box
        component={preview ? 'div' : 'header'}
        bg={accent.color}
        c={accent.on}
        px="md"
        pt="md"
        pb="lg"
        // a light colour would melt into the page without it
        style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}
      >
        <Group gap="sm" wrap="nowrap" mih={44}>
          <Logo src={branding.logo} merchantName={data.merchantName} />
          <Text fw={700} fz="lg" c={accent.on} lh={1.25} style={{ overflowWrap: 'anywhere' }}>
            {data.merchantName}
          </Text>
        </Group>
        <Stack gap={6} mt="lg">
          <Box aria-live={preview ? undefined : 'polite'} aria-atomic="true">
            <Text size="sm" fw={600} c={accent.on}>
              {data.kind === 'pickup' ? 'Pickup' : 'Delivery'} status
            </Text>
            <Title order={h(1)} fz={30} lh={1.15} c={accent.on}>
              {statusLabel(data)}
            </Title>
          </Box>
          {data.driver ? (
            <Text fz="lg" fw={500} c={accent.on}>
              {data.driver.name ? `${data.driver.name} is on the way` : 'Your driver is on the way'}
            </Text>
          ) : null}
          {data.eta != null ? <Eta eta={data.eta} now={now} accent={accent} /> : null}
          {completedAt != null ? (
            <Text c={accent.on}>
              {data.kind === 'pickup' ? 'Picked up' : 'Delivered'} {atTime(completedAt, now)}
            </Text>
          ) : null}
          {statusDetail(data) ? <Text c={accent.on}>{statusDetail(data)}</Text> : null}
        </Stack>
      </Box>

      <Box component={preview ? 'div' : 'main'} p="md">
        <Stack gap="md">
          {branding.headline || branding.message ? (
            <Paper p="md" radius="md">
              <Stack gap={6}>
                {branding.headline ? (
                  <Title order={h(2)} fz="lg" style={{ overflowWrap: 'anywhere' }}>
                    {branding.headline}
                  </Title>
                ) : null}
                {branding.message ? <Text style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{branding.message}</Text> : null}
              </Stack>
            </Paper>
          ) : null}

          {showMap ? (
            <Section title={data.driver?.location ? 'Live map' : 'Map'} order={h(2)}>
              <TrackingMap data={data} accent={accent} preview={preview} />
            </Section>
          ) : null}

          <Section title="Details" order={h(2)}>
            <Stack gap="sm">
              <Detail icon={<IconMapPin size={20} aria-hidden />} label={data.kind === 'pickup' ? 'Pickup address' : 'Delivery address'}>
                {data.destination.address}
              </Detail>
              {slot ? (
                <Detail icon={<IconClock size={20} aria-hidden />} label={data.kind === 'pickup' ? 'Pickup window' : 'Delivery window'}>
                  {slot}
                </Detail>
              ) : null}
            </Stack>
          </Section>

          {data.proof ? (
            <Section title={data.kind === 'pickup' ? 'Proof of pickup' : 'Proof of delivery'} order={h(2)}>
              <Proof proof={data.proof} preview={preview} />
            </Section>
          ) : null}

          {showFeedback ? (
            <Section title={data.kind === 'pickup' ? 'How was your pickup?' : 'How was your delivery?'} order={h(2)}>
              <FeedbackForm shortId={data.shortId} submitted={data.feedback.submitted} accent={accent} preview={preview} />
            </Section>
          ) : null}

          {events.length > 0 ? (
            <Section title="Progress" order={h(2)}>
              <Timeline active={events.length - 1} bulletSize={14} lineWidth={2} color={accent.onWhite} role="list">
                {events.map((e, i) => (
                  <Timeline.Item key={`${e.event}-${e.time}-${i}`} title={timelineLabel(e.event, data.kind)} role="listitem">
                    <Text size="sm" c="dimmed">
                      {dayAndTime(e.time, now)}
                    </Text>
                  </Timeline.Item>
                ))}
              </Timeline>
            </Section>
          ) : null}

          {hasContact ? (
            <Section title={`Questions? Contact ${data.merchantName}`} order={h(2)}>
              <Stack gap="sm">
                {branding.contactPhone ? (
                  <Button
                    component="a"
                    href={`tel:${branding.contactPhone.replace(/[^\d+]/g, '')}`}
                    size="md"
                    fullWidth
                    color={accent.color}
                    style={{ '--button-color': accent.on }}
                    leftSection={<IconPhone size={20} aria-hidden />}
                    aria-label={`Call ${data.merchantName} at ${branding.contactPhone}`}
                  >
                    Call {branding.contactPhone}
                  </Button>
                ) : null}
                {branding.contactEmail ? (
                  <Button
                    component="a"
                    href={`mailto:${branding.contactEmail}`}
                    size="md"
                    fullWidth
                    variant="default"
                    leftSection={<IconMail size={20} aria-hidden />}
                    aria-label={`Email ${data.merchantName} at ${branding.contactEmail}`}
                    styles={{ label: { overflow: 'hidden', textOverflow: 'ellipsis' } }}
                  >
                    {branding.contactEmail}
                  </Button>
                ) : null}
              </Stack>
            </Section>
          ) : null}

          <Text size="xs" c="dimmed" ta="center" pb="xs">
            Tracking number {data.shortId}
          </Text>
        </Stack>
      </Box>
    </Box>
  );
}

function Logo({ src, merchantName }: { src: string | null; merchantName: string }) {
  const [failed, setFailed] = useState<string | null>(null);
  if (!src || failed === src) return null;
  return (
    <Box bg="white" p={4} style={{ borderRadius: 8, lineHeight: 0, flex: 'none' }}>
      <Image src={src} alt={`${merchantName} logo`} h={36} w="auto" maw={120} fit="contain" onError={() => setFailed(src)} />
    </Box>
  );
}

function Eta({ eta, now, accent }: { eta: number; now: number; accent: Accent }) {
  return (
    <Group gap="xs" align="center" wrap="wrap">
      <Text fz={20} fw={700} c={accent.on}>
        Arriving around {clock(eta)}
      </Text>
      <Text
        component="span"
        fz="sm"
        fw={700}
        px={10}
        py={2}
        bg={accent.on}
        c={accent.color}
        style={{ borderRadius: 999, whiteSpace: 'nowrap' }}
      >
        {minutesUntil(eta, now)}
      </Text>
    </Group>
  );
}

function Section({ title, order, children }: { title: string; order: TitleOrder; children: ReactNode }) {
  const id = useId();
  return (
    <Paper p="md" radius="md" component="section" aria-labelledby={id}>
      <Stack gap="sm">
        <Title order={order} fz="md" id={id}>
          {title}
        </Title>
        {children}
      </Stack>
    </Paper>
  );
}

function Detail({ icon, label, children }: { icon: ReactNode; label: string; children: ReactNode }) {
  return (
    <Group gap="sm" wrap="nowrap" align="flex-start">
      <Box c="dimmed" pt={2} style={{ flex: 'none', lineHeight: 0 }}>
        {icon}
      </Box>
      <Box miw={0}>
        <Text size="sm" c="dimmed">
          {label}
        </Text>
        <Text style={{ overflowWrap: 'anywhere' }}>{children}</Text>
      </Box>
    </Group>
  );
}

function Proof({ proof, preview }: { proof: NonNullable<Tracking['proof']>; preview: boolean }) {
  if (!proof.notes && !proof.photo && !proof.signature) {
    return <Text c="dimmed">The driver left no notes, photo or signature.</Text>;
  }
  return (
    <Stack gap="md">
      {proof.notes ? (
        <Box>
          <Text size="sm" c="dimmed">
            Driver’s notes
          </Text>
          <Text style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{proof.notes}</Text>
        </Box>
      ) : null}
      {proof.photo ? (
        <Box>
          <Text size="sm" c="dimmed" mb={4}>
            Photo
          </Text>
          <ProofImage src={proof.photo} alt="Photo taken by the driver" link={!preview} mah={320} />
        </Box>
      ) : null}
      {proof.signature ? (
        <Box>
          <Text size="sm" c="dimmed" mb={4}>
            Signature
          </Text>
          <ProofImage src={proof.signature} alt="Signature of the person who received it" mah={160} />
        </Box>
      ) : null}
    </Stack>
  );
}

/** An image of the proof; a short note instead when it cannot be loaded. */
function ProofImage({ src, alt, link = false, mah }: { src: string; alt: string; link?: boolean; mah: number }) {
  const [failed, setFailed] = useState<string | null>(null);
  if (failed === src) {
    return (
      <Text size="sm" c="dimmed" fs="italic">
        The image could not be loaded.
      </Text>
    );
  }
  const image = (
    <Image
      src={src}
      alt={link ? `${alt} (opens full size)` : alt}
      radius="md"
      mah={mah}
      fit="contain"
      bg="white"
      style={{ border: '1px solid var(--mantine-color-gray-3)' }}
      onError={() => setFailed(src)}
    />
  );
  if (!link) return image;
  return (
    <Anchor href={src} target="_blank" rel="noopener noreferrer" display="block" style={{ lineHeight: 0 }}>
      {image}
    </Anchor>
  );
}
