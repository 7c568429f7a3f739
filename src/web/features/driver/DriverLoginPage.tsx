import { Container, Title, Text } from '@mantine/core';

/** Placeholder until this page is built. */
export function DriverLoginPage() {
  return (
    <Container py="xl">
      <Title order={2}>Driver sign-in</Title>
      <Text c="dimmed">This page is being built.</Text>
    </Container>
  );
}
