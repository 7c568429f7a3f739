import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, apiPath } from '../../../lib/api.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import type { Admin } from '../../../lib/types.ts';

const base = '/api/v2/admins';

export const adminsQuery = queryOptions({
  queryKey: queryKeys.admins,
  queryFn: ({ signal }) => api.get<Admin[]>(base, { signal }),
});

export interface InviteAdminInput {
  name: string;
  email: string;
  type: 'super' | 'standard';
  isReadOnly: boolean;
}

export interface UpdateAdminInput {
  name?: string;
  type?: 'super' | 'standard';
  isReadOnly?: boolean;
}

function useAdminMutation<V, R>(fn: (vars: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    // A change to oneself (name, role, read-only) shows in the session too.
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.admins }),
        queryClient.invalidateQueries({ queryKey: queryKeys.session }),
      ]),
  });
}

export const useInviteAdmin = () => useAdminMutation((input: InviteAdminInput) => api.post<Admin>(base, input));

export const useUpdateAdmin = () =>
  useAdminMutation(({ id, ...input }: UpdateAdminInput & { id: string }) => api.put<Admin>(apiPath(base, id), input));

export const useDeactivateAdmin = () => useAdminMutation((id: string) => api.post<Admin>(`${apiPath(base, id)}/deactivate`));

export const useActivateAdmin = () => useAdminMutation((id: string) => api.post<Admin>(`${apiPath(base, id)}/activate`));

export const useResendInvitation = () => useAdminMutation((id: string) => api.post<Admin>(`${apiPath(base, id)}/invite`));

export const useDeleteAdmin = () => useAdminMutation((id: string) => api.delete(apiPath(base, id)));
