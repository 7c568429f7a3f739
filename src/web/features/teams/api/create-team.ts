import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import type { Team } from '../../../lib/types.ts';

export interface CreateTeamInput {
  name: string;
  workers?: string[];
  managers?: string[];
  enableSelfAssignment?: boolean;
}

export function useCreateTeam() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateTeamInput) => api.post<Team>('/api/v2/teams', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.teams }),
  });
}
