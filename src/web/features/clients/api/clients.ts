import { infiniteQueryOptions, queryOptions, useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, apiPath } from '../../../lib/api.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import type { AuditEntry, Client, ClientsPage, ClientStatus } from '../../../lib/types.ts';

const base = '/api/v2/clients';
const PAGE_SIZE = 50;

export interface ClientFilters {
  status: ClientStatus | null;
  /** matches name or email (the server searches) */
  q: string;
}

/** The courier's clients, newest first, a page at a time. */
export const clientsQuery = (filters: ClientFilters) =>
  infiniteQueryOptions({
    queryKey: queryKeys.clientList(filters),
    queryFn: ({ pageParam, signal }) =>
      api.get<ClientsPage>(base, { query: { status: filters.status, q: filters.q, lastId: pageParam, limit: PAGE_SIZE }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.lastId ?? undefined,
    // Clients change on their own side too (accepting, confirming an address): read afresh on every visit.
    staleTime: 0,
  });

export const clientQuery = (id: string) =>
  queryOptions({
    queryKey: queryKeys.client(id),
    queryFn: ({ signal }) => api.get<Client>(apiPath(base, id), { signal }),
    staleTime: 0,
  });

export const clientAuditQuery = (id: string) =>
  queryOptions({
    queryKey: queryKeys.clientAudit(id),
    queryFn: ({ signal }) => api.get<{ entries: AuditEntry[] }>(`${apiPath(base, id)}/audit`, { signal }),
    select: (data) => data.entries,
    staleTime: 0,
  });

/** A change to one client shows in every list, on its page and in its activity. */
function remember(queryClient: QueryClient, client?: Client) {
  if (client) queryClient.setQueryData(queryKeys.client(client.id), client);
  return queryClient.invalidateQueries({ queryKey: queryKeys.clients });
}

export interface CreateClientInput {
  name: string;
  email: string;
  autoAssign?: { team: string | null };
}

export function useCreateClient() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateClientInput) => api.post<Client>(base, input),
    onSuccess: (client) => remember(queryClient, client),
  });
}

export interface UpdateClientInput {
  name?: string;
  email?: string;
  autoAssign?: { team: string | null };
}

export function useUpdateClient() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: UpdateClientInput & { id: string }) => api.put<Client>(apiPath(base, id), input),
    onSuccess: (client) => remember(queryClient, client),
  });
}

/** Sends the invitation, or a new one (the earlier link stops working). */
export function useInviteClient() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<Client>(`${apiPath(base, id)}/invite`),
    onSuccess: (client) => Promise.all([remember(queryClient, client), queryClient.invalidateQueries({ queryKey: queryKeys.outbox })]),
  });
}

export function useDeleteClient() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(apiPath(base, id)),
    onSuccess: () => remember(queryClient),
  });
}
