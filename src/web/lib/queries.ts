import { queryOptions } from '@tanstack/react-query';
import { api, isApiError } from './api.ts';
import { queryKeys } from './query-keys.ts';
import type { ApiKey, Session, SetupStatus, Team, Worker } from './types.ts';

/** Reads that more than one feature shows. Feature-only reads live in the feature's api/ folder. */

export const setupQuery = queryOptions({
  queryKey: queryKeys.setup,
  queryFn: ({ signal }) => api.get<SetupStatus>('/api/v2/setup', { signal }),
  staleTime: 60_000,
});

/** The signed-in session, or null when nobody is signed in. */
export const sessionQuery = queryOptions({
  queryKey: queryKeys.session,
  queryFn: async ({ signal }): Promise<Session | null> => {
    try {
      return await api.get<Session>('/api/v2/session', { signal });
    } catch (err) {
      if (isApiError(err, 401)) return null;
      throw err;
    }
  },
  staleTime: 5 * 60_000,
});

export const teamsQuery = queryOptions({
  queryKey: queryKeys.teams,
  queryFn: ({ signal }) => api.get<Team[]>('/api/v2/teams', { signal }),
});

export const workersQuery = queryOptions({
  queryKey: queryKeys.workers,
  queryFn: ({ signal }) => api.get<Worker[]>('/api/v2/workers', { signal }),
});

export const apiKeysQuery = queryOptions({
  queryKey: queryKeys.apiKeys,
  queryFn: ({ signal }) => api.get<ApiKey[]>('/api/v2/apiKeys', { signal }),
});
