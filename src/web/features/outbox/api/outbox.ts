import { infiniteQueryOptions } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import type { OutboxPage } from '../../../lib/types.ts';

export const outboxQuery = infiniteQueryOptions({
  queryKey: queryKeys.outbox,
  queryFn: ({ pageParam, signal }) => api.get<OutboxPage>('/api/v2/outbox', { query: { lastId: pageParam }, signal }),
  initialPageParam: undefined as string | undefined,
  getNextPageParam: (last) => last.lastId ?? undefined,
});
