import { Box, Button, Center, Paper, Skeleton, Stack, Text, ThemeIcon, Title, VisuallyHidden } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconAlertTriangle, IconClockPause, IconPackageOff, IconRefresh } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useEffect, type ReactNode } from 'react';
import { useParams } from 'react-router';
import { errorMessage, isApiError } from '../../lib/api.ts';
import { isFinalStatus, trackingQuery } from './api/tracking.ts';
import { TrackingView } from './components/TrackingView.tsx';

/** /track/:shortId — the public, phone-sized page a recipient follows a delivery on. */
export function TrackingPage() {
  const { shortId = '' } = useParams();
  const tracking = useQuery(trackingQuery(shortId));
  const data = tracking.data;

  // A malformed id is refused with 400: for the recipient, that link leads nowhere either.
  const notFound = isApiError(tracking.error, 404) || isApiError(tracking.error, 400);

  useDocumentTitle(
    data
      ? `${data.kind === 'pickup' ? 'Pickup for' : 'Delivery from'} ${data.merchantName}`
      : notFound
        ? 'Delivery not found'
        : 'Track your delivery',
  );

  if (data) {
    return (
      <Frame>
        {tracking.isRefetchError && !isFinalStatus(data.status) ? (
          <Text role="status" size="sm" bg="yellow.1" c="dark.8" px="md" py={6}>
            {isApiError(tracking.error, 429)
              ? 'Too many requests, try again in a moment. Showing the last known status.'
              : 'Live updates paused: could not reach the server. Showing the last known status; retrying…'}
          </Text>
        ) : null}
        <TrackingView data={data} />
      </Frame>
    );
  }
  if (tracking.isPending) {
    return (
      <Frame>
        <LoadingSkeleton />
      </Frame>
    );
  }
  if (notFound) {
    return (
      <Frame>
        <Message icon={<IconPackageOff size={30} aria-hidden />} title="We could not find this delivery">
          <Text>The link may be incomplete or mistyped. Check the message it came in, or contact the sender of your parcel.</Text>
        </Message>
      </Frame>
    );
  }
  const tooMany = isApiError(tracking.error, 429);
  return (
    <Frame>
      <Message
        icon={tooMany ? <IconClockPause size={30} aria-hidden /> : <IconAlertTriangle size={30} aria-hidden />}
        title={tooMany ? 'Too many requests, try again in a moment' : 'This delivery could not be loaded'}
        color={tooMany ? 'orange' : 'red'}
      >
        {!tooMany ? <Text>{errorMessage(tracking.error)}</Text> : <Text>The page was refreshed too often. Wait a few seconds, then try again.</Text>}
        <Button
          mt="sm"
          size="md"
          leftSection={<IconRefresh size={18} aria-hidden />}
          loading={tracking.isFetching}
          onClick={() => void tracking.refetch()}
        >
          Try again
        </Button>
      </Message>
    </Frame>
  );
}

function useDocumentTitle(title: string) {
  useEffect(() => {
    const previous = document.title;
    document.title = title;
    return () => {
      document.title = previous;
    };
  }, [title]);
}

/** Full width on a phone; a centred column like a phone screen on larger screens. */
function Frame({ children }: { children: ReactNode }) {
  const wide = useMediaQuery('(min-width: 36em)', false, { getInitialValueInEffect: false });
  return (
    <Box mih="100dvh" bg={wide ? 'gray.2' : 'gray.0'} py={wide ? 'xl' : 0}>
      <Box
        maw={480}
        mx="auto"
        mih={wide ? undefined : '100dvh'}
        bg="gray.0"
        style={wide ? { borderRadius: 'var(--mantine-radius-lg)', overflow: 'hidden', boxShadow: 'var(--mantine-shadow-md)' } : undefined}
      >
        {children}
      </Box>
    </Box>
  );
}

function Message({ icon, title, color = 'gray', children }: { icon: ReactNode; title: string; color?: string; children: ReactNode }) {
  return (
    <Box component="main" p="md" pt={64} pb={64}>
      <Paper p="xl" radius="md">
        <Stack align="center" ta="center" gap="sm" role={color === 'gray' ? undefined : 'alert'}>
          <ThemeIcon size={60} radius="xl" variant="light" color={color} aria-hidden>
            {icon}
          </ThemeIcon>
          <Title order={1} fz={22}>
            {title}
          </Title>
          {children}
        </Stack>
      </Paper>
    </Box>
  );
}

function LoadingSkeleton() {
  return (
    <Box role="status" aria-live="polite">
      <VisuallyHidden>Loading your delivery…</VisuallyHidden>
      <Box bg="gray.3" px="md" pt="md" pb="lg" aria-hidden>
        <Skeleton h={36} w={160} radius="sm" />
        <Skeleton h={14} w={110} mt="lg" radius="sm" />
        <Skeleton h={32} w={220} mt={8} radius="sm" />
        <Skeleton h={20} w={240} mt={10} radius="sm" />
      </Box>
      <Stack p="md" gap="md" aria-hidden>
        <Skeleton h={90} radius="md" />
        <Skeleton h={240} radius="md" />
        <Skeleton h={110} radius="md" />
      </Stack>
      <Center pb="md">
        <Text size="sm" c="dimmed" aria-hidden>
          Loading…
        </Text>
      </Center>
    </Box>
  );
}
