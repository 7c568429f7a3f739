import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../../../lib/api.ts';
import { queryKeys } from '../../../lib/query-keys.ts';

export interface CancelResult {
  cancelled: string[];
  errors: { shortId: string; code: string; error: number; message: string }[];
}

/** POST /api/v2/taskOrders/cancel for one order; a refusal (e.g. the pickup started) becomes an error. */
export function useCancelOrder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (shortId: string) => {
      const result = await api.post<CancelResult>('/api/v2/taskOrders/cancel', { shortIds: [shortId] });
      const refused = result.errors.find((e) => e.shortId === shortId);
      if (refused) throw new ApiError({ status: 409, code: refused.code, error: refused.error, message: refused.message });
      return result;
    },
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.orders }),
        queryClient.invalidateQueries({ queryKey: queryKeys.tasks }),
      ]),
  });
}
