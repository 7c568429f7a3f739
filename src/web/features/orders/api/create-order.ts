import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import type { Order, OrderMetadata } from '../../../lib/types.ts';

export interface OrderTaskInput {
  destination: { address: { unparsed: string }; location?: [number, number] | null; notes?: string };
  recipient?: { name: string; phone?: string; email?: string | null; notes?: string };
  notes?: string;
  completeAfter?: number | null;
  completeBefore?: number | null;
  quantity?: number;
}

export interface CreateOrderInput {
  pickupTask: OrderTaskInput;
  dropoffTask: OrderTaskInput;
  metadata?: OrderMetadata[];
}

export function useCreateOrder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateOrderInput) => api.post<Order>('/api/v2/taskOrders', input),
    onSuccess: (order) => {
      queryClient.setQueryData(queryKeys.order(order.shortId), order);
      return queryClient.invalidateQueries({ queryKey: queryKeys.orders });
    },
  });
}
