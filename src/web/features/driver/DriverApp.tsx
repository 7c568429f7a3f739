import { Container } from '@mantine/core';
import { Outlet } from 'react-router';

/** Placeholder until the driver app shell is built: renders its pages. */
export function DriverApp() {
  return (
    <Container py="xl">
      <Outlet />
    </Container>
  );
}
