import { infiniteQueryOptions } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { queryKeys } from '../../../lib/query-keys.ts';

export type OrderStatus = 'unassigned' | 'assigned' | 'in_progress' | 'completed' | 'failed' | 'cancelled' | 'rejected';

interface Address {
  number?: string;
  street?: string;
  apartment?: string;
  city?: string;
  postalCode?: string;
  name?: string;
  unparsed?: string;
}

/** The part of an order (GET /api/v2/taskOrders) the client's page shows. */
export interface ClientOrder {
  id: string;
  shortId: string;
  status: OrderStatus;
  timeCreated: number;
  dropoffTask: {
    destination: { address: Address };
    recipients: { name: string }[];
  };
}

interface OrdersPage {
  orders: ClientOrder[];
  lastId?: string;
}

/** One client's orders, newest first (courier only). */
export const clientOrdersQuery = (clientId: string) =>
  infiniteQueryOptions({
    queryKey: queryKeys.clientOrders(clientId),
    queryFn: ({ pageParam, signal }) =>
      api.get<OrdersPage>('/api/v2/taskOrders', { query: { client: clientId, lastId: pageParam, limit: 25 }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.lastId ?? undefined,
  });
