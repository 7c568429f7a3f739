import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, apiPath } from '../../../lib/api.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import type { Team } from '../../../lib/types.ts';

export interface UpdateTeamInput {
  name?: string;
  workers?: string[];
  managers?: string[];
  enableSelfAssignment?: boolean;
}

export function useUpdateTeam() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: UpdateTeamInput & { id: string }) => api.put<Team>(apiPath('/api/v2/teams', id), input),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.teams }),
        queryClient.invalidateQueries({ queryKey: queryKeys.workers }),
      ]),
  });
}
