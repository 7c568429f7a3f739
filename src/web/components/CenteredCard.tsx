import { Box, Center, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { BrandMark } from './BrandMark.tsx';

/** The frame of the pages shown outside the dashboard: set-up, sign-in, invitations, errors. */
export function CenteredCard({
  title,
  description,
  children,
  width = 440,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
  width?: number;
}) {
  return (
    <Box component="main" mih="100dvh" bg="gray.0" px="md" py={48}>
      <Center>
        <Stack w="100%" maw={width} gap="lg">
          <Center>
            <BrandMark />
          </Center>
          <Paper p={{ base: 'lg', sm: 'xl' }} radius="lg" shadow="sm">
            <Stack gap="lg">
              <Stack gap={6}>
                <Title order={1} fz={24}>
                  {title}
                </Title>
                {description ? (
                  <Text c="dimmed" size="sm">
                    {description}
                  </Text>
                ) : null}
              </Stack>
              {children}
            </Stack>
          </Paper>
        </Stack>
      </Center>
    </Box>
  );
}
