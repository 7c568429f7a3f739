import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiError } from '../lib/api.ts';
import { queryKeys } from '../lib/query-keys.ts';

/**
 * A 401 from any request means the session has ended (expired, signed out elsewhere, account
 * deactivated): forgetting the session sends the person to the sign-in page.
 */
export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (isApiError(error, 401) && query.queryKey[0] !== queryKeys.session[0]) client.setQueryData(queryKeys.session, null);
      },
    }),
    mutationCache: new MutationCache({
      onError: (error) => {
        if (isApiError(error, 401) && client.getQueryData(queryKeys.session)) client.setQueryData(queryKeys.session, null);
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        retry: (count, error) => count < 2 && (!isApiError(error) || error.status === 0 || error.status >= 500),
      },
      mutations: { retry: false },
    },
  });
  return client;
}
