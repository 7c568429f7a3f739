import { Container, Title, Text } from '@mantine/core';

/** Placeholder until this page is built. */
export function PortalNotificationsPage() {
  return (
    <Container py="xl">
      <Title order={2}>Notifications</Title>
      <Text c="dimmed">This page is being built.</Text>
    </Container>
  );
}
