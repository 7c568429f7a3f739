import { queryOptions } from '@tanstack/react-query';
import { api, apiPath } from '../../../lib/api.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import type { AuditEntry, TaskWithEta } from '../../../lib/types.ts';

export const taskQuery = (id: string) =>
  queryOptions({
    queryKey: queryKeys.task(id),
    queryFn: ({ signal }) => api.get<TaskWithEta>(apiPath('/api/v2/tasks', id), { signal }),
  });

/** Who did what to a task, oldest first (courier only). */
export const taskHistoryQuery = (id: string) =>
  queryOptions({
    queryKey: queryKeys.taskHistory(id),
    queryFn: ({ signal }) => api.get<{ entries: AuditEntry[] }>(apiPath('/api/v2/tasks', id, 'history'), { signal }),
    select: (d) => d.entries,
  });
