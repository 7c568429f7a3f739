import { Button, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { paths } from '../../../shared/paths.ts';
import { CenteredCard } from '../../components/CenteredCard.tsx';
import { ErrorState, LoadingState } from '../../components/QueryState.tsx';
import { isApiError } from '../../lib/api.ts';
import { driverMeQuery, useStartDriverSession } from './api/driver.ts';

/**
 * /driver/login/:token — the one-time link a dispatcher sends a driver. Opening it is the
 * sign-in: the token is exchanged for a session at once, then the task list opens.
 */
export function DriverLoginPage() {
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const exchange = useStartDriverSession();
  const { mutate } = exchange;
  // The token works once: exchange it once, even when React runs the effect twice.
  const exchanged = useRef<string | null>(null);

  useEffect(() => {
    if (exchanged.current === token) return;
    exchanged.current = token;
    mutate(token, { onSuccess: () => navigate(paths.driver(), { replace: true }) });
  }, [token, mutate, navigate]);

  if (exchange.isError) {
    // 410: used or expired; 400/404: not a link this server made (e.g. cut short when copied); 403: account gone.
    if (isApiError(exchange.error, 410)) return <LinkUnusable reason="used-or-expired" />;
    if (isApiError(exchange.error, 400) || isApiError(exchange.error, 404)) return <LinkUnusable reason="invalid" />;
    if (isApiError(exchange.error, 403)) return <LinkUnusable reason="refused" message={exchange.error.message} />;
    return (
      <CenteredCard title="Signing you in">
        <ErrorState error={exchange.error} title="Could not sign you in" onRetry={() => exchange.mutate(token, { onSuccess: () => navigate(paths.driver(), { replace: true }) })} />
      </CenteredCard>
    );
  }
  return (
    <CenteredCard title="Signing you in">
      <LoadingState label="Opening the driver app…" />
    </CenteredCard>
  );
}

function LinkUnusable({ reason, message }: { reason: 'used-or-expired' | 'invalid' | 'refused'; message?: string }) {
  // Someone who already signed in with this link (and opens it again) can just carry on.
  const me = useQuery({ ...driverMeQuery, retry: false });
  const title =
    reason === 'used-or-expired'
      ? 'This sign-in link has expired or was already used'
      : reason === 'invalid'
        ? 'This sign-in link is not valid'
        : 'This sign-in link cannot be used';
  const description =
    reason === 'used-or-expired'
      ? 'Each link works once, for 30 minutes.'
      : reason === 'invalid'
        ? 'The link may be incomplete; open it again from the message your dispatcher sent.'
        : message;
  return (
    <CenteredCard title={title} description={description}>
      <Stack gap="md">
        {me.data ? (
          <>
            <Text size="sm">You are already signed in as {me.data.worker.name}.</Text>
            <Button component={Link} to={paths.driver()} size="md">
              Open my tasks
            </Button>
          </>
        ) : (
          <Text size="sm" fw={500}>
            Ask your dispatcher to send you a new sign-in link.
          </Text>
        )}
      </Stack>
    </CenteredCard>
  );
}
