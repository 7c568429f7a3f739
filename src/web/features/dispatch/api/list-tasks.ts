import { infiniteQueryOptions } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import type { TaskPage, TaskStateNumber } from '../../../lib/types.ts';

export interface TaskFilters {
  /** empty: every state */
  states: TaskStateNumber[];
  team: string | null;
  worker: string | null;
  /** the client organization (the tasks' merchant) */
  merchant: string | null;
  /** created at or after (ms) */
  from: number | null;
  /** created at or before (ms) */
  to: number | null;
}

/** GET /api/v2/tasks/all: 64 tasks a page, oldest first. */
export const tasksQuery = (filters: TaskFilters) =>
  infiniteQueryOptions({
    queryKey: queryKeys.taskList(filters),
    queryFn: ({ pageParam, signal }) =>
      api.get<TaskPage>('/api/v2/tasks/all', {
        query: {
          state: filters.states.join(','),
          team: filters.team,
          worker: filters.worker,
          merchant: filters.merchant,
          from: filters.from,
          to: filters.to,
          lastId: pageParam,
        },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.lastId ?? undefined,
  });
