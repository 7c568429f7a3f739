import { Container, Title, Text } from '@mantine/core';

/** Placeholder until this page is built. */
export function DispatchPage() {
  return (
    <Container py="xl">
      <Title order={2}>Dispatch</Title>
      <Text c="dimmed">This page is being built.</Text>
    </Container>
  );
}
