import { queryOptions } from '@tanstack/react-query';
import { api, apiPath } from '../../../lib/api.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import type { TaskWithEta } from '../../../lib/types.ts';

export const taskQuery = (id: string) =>
  queryOptions({
    queryKey: queryKeys.task(id),
    queryFn: ({ signal }) => api.get<TaskWithEta>(apiPath('/api/v2/tasks', id), { signal }),
  });
