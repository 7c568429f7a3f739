import { Button } from '@mantine/core';
import { IconX } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { paths } from '../../../shared/paths.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { isApiError } from '../../lib/api.ts';
import { teamsQuery, workersQuery } from '../../lib/queries.ts';
import { usePermissions } from '../../lib/session.tsx';
import { orderQuery } from '../orders/api/get-order.ts';
import { useLiveUpdates } from '../orders/api/live-updates.ts';
import { OrderDetailView, type OrderNames } from '../orders/components/OrderDetailView.tsx';
import { orderEditable } from '../orders/lib/labels.ts';
import { RejectOrderModal } from './components/TaskActionModals.tsx';

/** One client order as the courier sees it: read-only, with its drivers, and Reject while it can be. */
export function CourierOrderPage() {
  const { shortId = '' } = useParams();
  const order = useQuery(orderQuery(shortId));
  const workers = useQuery(workersQuery);
  const teams = useQuery(teamsQuery);
  const live = useLiveUpdates();
  const { canWrite } = usePermissions();
  const [rejecting, setRejecting] = useState(false);

  const names = useMemo<OrderNames>(() => {
    const drivers = new Map((workers.data ?? []).map((w) => [w.id, w.name]));
    const teamNames = new Map((teams.data ?? []).map((t) => [t.id, t.name]));
    return { driver: (id) => drivers.get(id) ?? null, team: (id) => teamNames.get(id) ?? null };
  }, [workers.data, teams.data]);

  if (isApiError(order.error, 404) || isApiError(order.error, 400)) {
    return (
      <EmptyState
        title="Order not found"
        action={
          <Button component={Link} to={paths.dispatch()} variant="light">
            Go to Dispatch
          </Button>
        }
      >
        There is no order {shortId}. Check the link, or find the order’s tasks in Dispatch.
      </EmptyState>
    );
  }
  return (
    <QueryState query={order} loadingLabel="Loading the order…" errorTitle="Could not load this order">
      {(data) => (
        <>
          <OrderDetailView
            order={data}
            audience="courier"
            names={names}
            live={live}
            back={{ to: paths.dispatch(), label: 'Dispatch' }}
            taskLink={(task) => paths.dispatch(task.id)}
            actions={
              canWrite && orderEditable(data) ? (
                <Button color="red" variant="light" leftSection={<IconX size={16} aria-hidden />} onClick={() => setRejecting(true)}>
                  Reject order
                </Button>
              ) : null
            }
          />
          {rejecting ? <RejectOrderModal orderShortId={data.shortId} onClose={() => setRejecting(false)} /> : null}
        </>
      )}
    </QueryState>
  );
}
