import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, apiPath } from '../../../lib/api.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import type { Order } from '../../../lib/types.ts';
import type { OrderTaskInput } from './create-order.ts';

export interface UpdateOrderInput {
  pickupTask?: Partial<OrderTaskInput>;
  dropoffTask?: Partial<OrderTaskInput>;
}

/** PUT /api/v2/taskOrders/:shortId — only until the pickup starts (409 after). */
export function useUpdateOrder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ shortId, ...input }: UpdateOrderInput & { shortId: string }) => api.put<Order>(apiPath('/api/v2/taskOrders', shortId), input),
    onSuccess: (order) => {
      queryClient.setQueryData(queryKeys.order(order.shortId), order);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.orders }),
        queryClient.invalidateQueries({ queryKey: queryKeys.tasks }),
      ]);
    },
  });
}
