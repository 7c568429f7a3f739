import { Container } from '@mantine/core';
import { Outlet } from 'react-router';

/** Placeholder until the portal shell is built: renders its pages. */
export function PortalLayout() {
  return (
    <Container py="xl">
      <Outlet />
    </Container>
  );
}
