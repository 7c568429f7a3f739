import { Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import type { ReactNode } from 'react';

export function EmptyState({
  icon,
  title,
  children,
  action,
}: {
  icon?: ReactNode;
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <Paper p="xl" radius="md" style={{ borderStyle: 'dashed' }}>
      <Stack align="center" gap="sm" ta="center" py="md">
        {icon ? (
          <ThemeIcon size={52} radius="xl" variant="light" aria-hidden>
            {icon}
          </ThemeIcon>
        ) : null}
        <Title order={2} fz="lg">
          {title}
        </Title>
        {children ? (
          <Text c="dimmed" maw={520}>
            {children}
          </Text>
        ) : null}
        {action}
      </Stack>
    </Paper>
  );
}
