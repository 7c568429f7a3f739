import { Text } from '@mantine/core';
import { PageHeader } from '../../components/PageHeader.tsx';
import { TrackingPageCustomizer } from './components/TrackingPageCustomizer.tsx';

/** /portal/tracking-page — the client's own branding of the page its recipients follow a delivery on. */
export function PortalTrackingPage() {
  return (
    <>
      <PageHeader
        title="Tracking page"
        description="The page your recipients open from their messages to follow a delivery live: your logo, colour and words, and what they may see."
      />
      <TrackingPageCustomizer audience="client" />
    </>
  );
}

/** Settings → Tracking page: the courier's page, the default for its clients. */
export function CourierTrackingPageTab() {
  return (
    <>
      <Text c="dimmed" mb="lg" maw={760}>
        These are the defaults for clients that have not branded their own tracking page, and the page for your own tasks. Recipients
        open it from the link in their messages to follow a delivery live.
      </Text>
      <TrackingPageCustomizer audience="courier" />
    </>
  );
}
