import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import type { Vehicle, Worker } from '../../../lib/types.ts';

export interface WorkerInput {
  name: string;
  /** E.164, or a national number of the organization's country */
  phone: string;
  teams: string[];
  vehicle?: Partial<Vehicle> | null;
  capacity?: number | null;
  email?: string | null;
}

export function useCreateWorker() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: WorkerInput) => api.post<Worker>('/api/v2/workers', input),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.workers }),
        queryClient.invalidateQueries({ queryKey: queryKeys.teams }),
      ]),
  });
}
