import { infiniteQueryOptions } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import type { OrderPage, OrderStatus } from '../../../lib/types.ts';

export interface OrderFilters {
  statuses: OrderStatus[];
  /** matches the order id, addresses and recipient */
  q: string;
  /** created at or after (ms) */
  from: number | null;
  /** created at or before (ms) */
  to: number | null;
  sort: 'asc' | 'desc';
}

export const ORDERS_PAGE_SIZE = 50;

/** GET /api/v2/taskOrders, a page at a time (a client sees only its own orders). */
export const ordersQuery = (filters: OrderFilters) =>
  infiniteQueryOptions({
    queryKey: queryKeys.orderList(filters),
    queryFn: ({ pageParam, signal }) =>
      api.get<OrderPage>('/api/v2/taskOrders', {
        query: {
          status: filters.statuses.join(','),
          q: filters.q.trim(),
          from: filters.from,
          to: filters.to,
          sort: filters.sort,
          limit: ORDERS_PAGE_SIZE,
          lastId: pageParam,
        },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.lastId ?? undefined,
  });
