import { Container, Title, Text } from '@mantine/core';

/** Placeholder until this page is built. */
export function PortalTrackingPage() {
  return (
    <Container py="xl">
      <Title order={2}>Tracking page</Title>
      <Text c="dimmed">This page is being built.</Text>
    </Container>
  );
}
