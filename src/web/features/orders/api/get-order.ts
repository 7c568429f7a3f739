import { queryOptions } from '@tanstack/react-query';
import { api, apiPath } from '../../../lib/api.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import type { Order } from '../../../lib/types.ts';

export const orderQuery = (shortId: string) =>
  queryOptions({
    queryKey: queryKeys.order(shortId),
    queryFn: ({ signal }) => api.get<Order>(apiPath('/api/v2/taskOrders', shortId), { signal }),
  });
