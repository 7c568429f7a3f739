import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, apiPath } from '../../../lib/api.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import type { Order, TaskWithEta } from '../../../lib/types.ts';

const refresh = (queryClient: QueryClient) =>
  Promise.all([
    queryClient.invalidateQueries({ queryKey: queryKeys.tasks }),
    queryClient.invalidateQueries({ queryKey: queryKeys.orders }),
  ]);

export interface ForceCompleteInput {
  id: string;
  success: boolean;
  notes?: string;
  failureReason?: string;
}

/** POST /api/v2/tasks/:id/complete — a dispatcher completes an active task. */
export function useForceComplete() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...completionDetails }: ForceCompleteInput) =>
      api.post<TaskWithEta>(`${apiPath('/api/v2/tasks', id)}/complete`, { completionDetails }),
    onSettled: () => refresh(queryClient),
  });
}

/** POST /api/v2/tasks/:id/clone — a new unassigned attempt (redelivery of a failed task). */
export function useCloneTask() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<TaskWithEta>(`${apiPath('/api/v2/tasks', id)}/clone`),
    onSettled: () => refresh(queryClient),
  });
}

/** DELETE /api/v2/tasks/:id — refused (409) for active, completed and order tasks, with the reason. */
export function useDeleteTask() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(apiPath('/api/v2/tasks', id)),
    onSuccess: (_data, id) => queryClient.removeQueries({ queryKey: queryKeys.task(id) }),
    onSettled: () => refresh(queryClient),
  });
}

/** POST /api/v2/taskOrders/:shortId/reject — the client sees the reasons. */
export function useRejectOrder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ shortId, reasons }: { shortId: string; reasons: string[] }) =>
      api.post<Order>(`${apiPath('/api/v2/taskOrders', shortId)}/reject`, { reasons }),
    onSettled: () => refresh(queryClient),
  });
}
