import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, apiPath } from '../../../lib/api.ts';
import { queryKeys } from '../../../lib/query-keys.ts';

export type LngLat = [number, number];

export interface DispatchParams {
  preview: boolean;
  timeLimitSeconds: number;
  maxTasksPerRoute: number;
  serviceTime: number;
  routeEnd: 'teams://DEFAULT' | 'workers://ROUTING_ADDRESS' | null;
}

export interface PlannedRoute {
  worker: string;
  workerName: string;
  start: LngLat;
  end: LngLat | null;
  keptTasks: string[];
  tasks: Array<{ id: string; shortId: string; pickupTask: boolean; location: LngLat; address: string; arrival: number; completeAfter: number | null; completeBefore: number | null }>;
  distance: number;
  duration: number;
}

export interface Dispatch {
  id: string;
  team: string;
  status: 'pending' | 'processing' | 'completed' | 'applied' | 'discarded' | 'failed';
  preview: boolean;
  progress: { fraction: number; phase: string; vehicles: number; distance: number; unassigned: number } | null;
  result: {
    routes: PlannedRoute[];
    unassigned: Array<{ id: string; shortId: string; reason: string }>;
    drivers: number;
    metric: string;
    warnings: string[];
    elapsedMs: number;
    applied: { time: number; assignedTasksCount: number; skipped: Array<{ id: string; reason: string }> } | null;
  } | null;
  error: string | null;
}

const running = (d: Dispatch | undefined) => !d || d.status === 'pending' || d.status === 'processing';

/** A route optimisation, polled twice a second while it runs. */
export const dispatchQuery = (id: string) =>
  queryOptions({
    queryKey: [...queryKeys.tasks, 'dispatch', id] as const,
    queryFn: ({ signal }) => api.get<Dispatch>(apiPath('/api/v2/dispatches', id), { signal }),
    refetchInterval: (q) => (running(q.state.data) ? 500 : false),
  });

/** POST /teams/:id/dispatch: starts the optimisation in the background. */
export function useStartDispatch() {
  return useMutation({
    mutationFn: ({ team, params }: { team: string; params: DispatchParams }) =>
      api.post<{ id: string; status: string }>(`${apiPath('/api/v2/teams', team)}/dispatch`, params),
  });
}

/** Applies (assigns) or discards a previewed plan; either way the task lists change. */
export function useSettleDispatch() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'apply' | 'discard' }) =>
      action === 'apply' ? api.post<Dispatch>(`${apiPath('/api/v2/dispatches', id)}/apply`, {}) : api.delete<null>(apiPath('/api/v2/dispatches', id)),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.tasks });
      void queryClient.invalidateQueries({ queryKey: queryKeys.teams });
      void queryClient.invalidateQueries({ queryKey: queryKeys.workers });
    },
  });
}
