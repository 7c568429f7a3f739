import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, apiPath } from '../../../lib/api.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import type { TaskPage, TaskWithEta, WorkerContainer } from '../../../lib/types.ts';

export interface WorkerRoute {
  container: WorkerContainer;
  /** the driver's open tasks, in route order (the active one first) */
  tasks: TaskWithEta[];
}

/** A driver's ordered list (GET /containers/workers/:id) with its tasks' details. */
export const workerRouteQuery = (workerId: string) =>
  queryOptions({
    queryKey: queryKeys.workerRoute(workerId),
    queryFn: async ({ signal }): Promise<WorkerRoute> => {
      const [container, open] = await Promise.all([
        api.get<WorkerContainer>(apiPath('/api/v2/containers/workers', workerId), { signal }),
        (async () => {
          const tasks: TaskWithEta[] = [];
          let lastId: string | undefined;
          for (let page = 0; page < 10; page++) {
            const res = await api.get<TaskPage>(`${apiPath('/api/v2/workers', workerId)}/tasks`, { query: { state: '1,2', lastId }, signal });
            tasks.push(...res.tasks);
            lastId = res.lastId;
            if (!lastId) break;
          }
          return tasks;
        })(),
      ]);
      const byId = new Map(open.map((t) => [t.id, t]));
      return { container, tasks: container.tasks.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])) };
    },
  });

/**
 * Moves one task of a driver's list to another place: PUT /containers/workers/:id with
 * `[index, taskId]`, which inserts it at that index among the driver's other open tasks and leaves
 * the rest of the list as it is (the active task always stays first).
 */
export function useMoveInRoute() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ workerId, taskId, index }: { workerId: string; taskId: string; index: number; optimistic: TaskWithEta[] }) =>
      api.put<WorkerContainer>(apiPath('/api/v2/containers/workers', workerId), { tasks: [index, taskId] }),
    onMutate: async ({ workerId, optimistic }) => {
      const key = queryKeys.workerRoute(workerId);
      await queryClient.cancelQueries({ queryKey: key });
      const previous = queryClient.getQueryData<WorkerRoute>(key);
      if (previous) queryClient.setQueryData<WorkerRoute>(key, { ...previous, tasks: optimistic });
      return { previous };
    },
    onError: (_error, { workerId }, context) => {
      if (context?.previous) queryClient.setQueryData(queryKeys.workerRoute(workerId), context.previous);
    },
    onSettled: (_data, _error, { workerId }) => queryClient.invalidateQueries({ queryKey: queryKeys.workerRoute(workerId) }),
  });
}
