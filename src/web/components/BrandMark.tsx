import { Group, Text, ThemeIcon } from '@mantine/core';
import { IconTruckDelivery } from '@tabler/icons-react';

/** The Baton name and mark, for pages shown before anyone signs in. */
export function BrandMark({ size = 'lg' }: { size?: 'md' | 'lg' }) {
  return (
    <Group gap="xs" wrap="nowrap">
      <ThemeIcon size={size === 'lg' ? 40 : 32} radius="md" aria-hidden>
        <IconTruckDelivery size={size === 'lg' ? 24 : 20} stroke={1.8} />
      </ThemeIcon>
      <Text fw={750} fz={size === 'lg' ? 26 : 20} lh={1}>
        Baton
      </Text>
    </Group>
  );
}
