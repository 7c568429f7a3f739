import { Button, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { IconPencil, IconX } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { paths } from '../../../shared/paths.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { isApiError } from '../../lib/api.ts';
import { notifyError, notifySuccess } from '../../lib/notify.ts';
import type { Order } from '../../lib/types.ts';
import { useCancelOrder } from './api/cancel-orders.ts';
import { orderQuery } from './api/get-order.ts';
import { useLiveUpdates } from './api/live-updates.ts';
import { EditOrderModal } from './components/EditOrderModal.tsx';
import { OrderDetailView } from './components/OrderDetailView.tsx';
import { orderEditable } from './lib/labels.ts';

/** One order in the client portal: where it is, its history and proof of delivery; change or cancel it until pickup. */
export function OrderDetailPage() {
  const { shortId = '' } = useParams();
  const order = useQuery(orderQuery(shortId));
  const live = useLiveUpdates();
  const back = { to: paths.portalOrders(), label: 'All orders' };

  if (isApiError(order.error, 404) || (order.isError && isApiError(order.error, 400))) {
    return (
      <EmptyState
        title="Order not found"
        action={
          <Button component={Link} to={paths.portalOrders()} variant="light">
            All orders
          </Button>
        }
      >
        There is no order {shortId} in your account. Check the link, or find the order in your list of orders.
      </EmptyState>
    );
  }
  return (
    <QueryState query={order} loadingLabel="Loading the order…" errorTitle="Could not load this order">
      {(data) => <OrderDetail order={data} back={back} live={live} />}
    </QueryState>
  );
}

function OrderDetail({ order, back, live }: { order: Order; back: { to: string; label: string }; live: ReturnType<typeof useLiveUpdates> }) {
  const [editing, setEditing] = useState(false);
  const cancel = useCancelOrder();
  const editable = orderEditable(order);

  const onCancel = () =>
    modals.openConfirmModal({
      title: `Cancel order ${order.shortId}?`,
      children: (
        <Text size="sm">
          The courier will not pick it up or deliver it. This cannot be undone; to send the parcel later, create a new order.
        </Text>
      ),
      labels: { confirm: 'Cancel order', cancel: 'Keep order' },
      confirmProps: { color: 'red' },
      onConfirm: () =>
        cancel.mutate(order.shortId, {
          onSuccess: () => notifySuccess(`Order ${order.shortId} was cancelled.`),
          onError: (e) => notifyError(e, 'Could not cancel the order'),
        }),
    });

  const actions = editable ? (
    <>
      <Button variant="default" leftSection={<IconPencil size={16} aria-hidden />} onClick={() => setEditing(true)}>
        Edit
      </Button>
      <Button color="red" variant="light" leftSection={<IconX size={16} aria-hidden />} onClick={onCancel} loading={cancel.isPending}>
        Cancel order
      </Button>
    </>
  ) : null;

  return (
    <>
      <OrderDetailView order={order} audience="client" back={back} live={live} actions={actions} />
      {editing && editable ? <EditOrderModal order={order} onClose={() => setEditing(false)} /> : null}
    </>
  );
}
