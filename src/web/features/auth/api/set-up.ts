import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import type { Session } from '../../../lib/types.ts';

export interface SetUpInput {
  organizationName: string;
  name: string;
  email: string;
  password: string;
  country: string;
  timezone: string;
}

export function useSetUp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: SetUpInput) => api.post<Session>('/api/v2/setup', input),
    onSuccess: (session) => {
      queryClient.setQueryData(queryKeys.setup, { needed: false });
      queryClient.setQueryData(queryKeys.session, session);
    },
  });
}
