import { Title } from '@mantine/core';

/** Placeholder until the driver's task list is built. */
export function DriverTasksPage() {
  return <Title order={2}>My tasks</Title>;
}
