import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, apiPath } from '../../../lib/api.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import type { AdminInvitation, Session } from '../../../lib/types.ts';

const base = '/api/v2/admin-invitations';

export const invitationQuery = (token: string) =>
  queryOptions({
    queryKey: queryKeys.invitation(token),
    queryFn: ({ signal }) => api.get<AdminInvitation>(apiPath(base, token), { signal }),
    retry: false,
    staleTime: Infinity,
  });

export interface AcceptInvitationInput {
  name: string;
  password: string;
}

export function useAcceptInvitation(token: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: AcceptInvitationInput) => api.post<Session>(`${apiPath(base, token)}/accept`, input),
    onSuccess: (session) => {
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== queryKeys.session[0] });
      queryClient.setQueryData(queryKeys.session, session);
    },
  });
}
