import { queryOptions, useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import type { Organization, Session } from '../../../lib/types.ts';

const base = '/api/v2/organization';

export const organizationQuery = queryOptions({
  queryKey: queryKeys.organization,
  queryFn: ({ signal }) => api.get<Organization>(base, { signal }),
});

/** The header shows the organization from the session: keep both in step. */
function remember(queryClient: QueryClient, org: Organization) {
  queryClient.setQueryData(queryKeys.organization, org);
  queryClient.setQueryData<Session | null>(queryKeys.session, (s) => (s ? { ...s, organization: org } : s));
}

export interface UpdateOrganizationInput {
  name?: string;
  email?: string;
  country?: string;
  timezone?: string;
}

export function useUpdateOrganization() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateOrganizationInput) => api.put<Organization>(base, input),
    onSuccess: (org) => remember(queryClient, org),
  });
}

export function useUploadLogo() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => {
      const body = new FormData();
      body.append('file', file, file.name);
      return api.post<Organization>(`${base}/logo`, body);
    },
    onSuccess: (org) => remember(queryClient, org),
  });
}

export function useRemoveLogo() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete<Organization>(`${base}/logo`),
    onSuccess: (org) => remember(queryClient, org),
  });
}
