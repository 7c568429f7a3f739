import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, apiPath } from '../../../lib/api.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import type { Worker } from '../../../lib/types.ts';
import type { WorkerInput } from './create-worker.ts';

export function useUpdateWorker() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: Partial<WorkerInput> & { id: string }) => api.put<Worker>(apiPath('/api/v2/workers', id), input),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.workers }),
        queryClient.invalidateQueries({ queryKey: queryKeys.teams }),
      ]),
  });
}
