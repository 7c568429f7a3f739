import { queryOptions } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import type { Client, ClientsPage } from '../../../lib/types.ts';

/** Every client of the courier (a few pages of 200), for client names and the client filter. */
export const clientDirectoryQuery = queryOptions({
  queryKey: queryKeys.clientDirectory,
  queryFn: async ({ signal }) => {
    const all: Client[] = [];
    let lastId: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await api.get<ClientsPage>('/api/v2/clients', { query: { limit: 200, lastId }, signal });
      all.push(...res.clients);
      lastId = res.lastId;
      if (!lastId) break;
    }
    return all;
  },
  staleTime: 60_000,
});
