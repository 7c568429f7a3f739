import { Container, Title, Text } from '@mantine/core';

/** Placeholder until this page is built. */
export function OrdersPage() {
  return (
    <Container py="xl">
      <Title order={2}>Orders</Title>
      <Text c="dimmed">This page is being built.</Text>
    </Container>
  );
}
