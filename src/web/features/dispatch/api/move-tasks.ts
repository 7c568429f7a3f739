import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, apiPath } from '../../../lib/api.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import type { TaskWithEta } from '../../../lib/types.ts';

/** Where tasks go: a driver (assigned), a team's queue, or back to the organization (unassigned). */
export type TaskTarget = { type: 'WORKER'; worker: string } | { type: 'TEAM'; team: string } | { type: 'ORGANIZATION' };

export interface MoveResult {
  moved: TaskWithEta[];
  failed: { id: string; shortId: string; error: unknown }[];
}

/**
 * PUT /api/v2/tasks/:id {container} for each task in turn (pickups first, so that a driver's list
 * has each pickup before its dropoff). One refusal does not stop the others.
 */
export function useMoveTasks() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ tasks, target }: { tasks: { id: string; shortId: string }[]; target: TaskTarget }): Promise<MoveResult> => {
      const result: MoveResult = { moved: [], failed: [] };
      for (const t of tasks) {
        try {
          result.moved.push(await api.put<TaskWithEta>(apiPath('/api/v2/tasks', t.id), { container: target }));
        } catch (error) {
          result.failed.push({ id: t.id, shortId: t.shortId, error });
        }
      }
      return result;
    },
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.tasks }),
        queryClient.invalidateQueries({ queryKey: queryKeys.orders }),
        queryClient.invalidateQueries({ queryKey: queryKeys.workers }),
      ]),
  });
}
