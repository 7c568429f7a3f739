import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import type { TrackingPageInput, TrackingPageSettings } from './types.ts';

const base = '/api/v2/trackingPage';

/** The caller organization's tracking page: a client's own, or its courier's while it has set nothing (inherited). */
export const trackingPageQuery = queryOptions({
  queryKey: queryKeys.trackingPage,
  queryFn: ({ signal }) => api.get<TrackingPageSettings>(base, { signal }),
});

export function useUpdateTrackingPage() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: TrackingPageInput) => api.put<TrackingPageSettings>(base, input),
    onSuccess: (settings) => queryClient.setQueryData(queryKeys.trackingPage, settings),
  });
}

/** A client goes back to its courier's page; a courier to Baton's defaults. */
export function useResetTrackingPage() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete(base),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.trackingPage }),
  });
}
