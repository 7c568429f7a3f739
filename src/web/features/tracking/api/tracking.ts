import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, apiPath } from '../../../lib/api.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import type { FeedbackInput, Tracking, TrackingStatus } from './types.ts';

const base = '/api/v2/tracking';

/** How often an open delivery is read again, so the driver's position, the ETA and the status move on their own. */
export const TRACKING_REFRESH_MS = 5_000;

const FINAL: TrackingStatus[] = ['completed', 'failed', 'cancelled'];

export const isFinalStatus = (status: TrackingStatus) => FINAL.includes(status);

/** The public tracking data of one task; refreshed every few seconds until the task is done. */
export const trackingQuery = (shortId: string) =>
  queryOptions({
    queryKey: queryKeys.trackingPublic(shortId),
    queryFn: ({ signal }) => api.get<Tracking>(apiPath(base, shortId), { signal }),
    staleTime: 2_000,
    refetchInterval: (query) => {
      const data = query.state.data;
      if (!data) return query.state.status === 'error' ? false : TRACKING_REFRESH_MS;
      return isFinalStatus(data.status) ? false : TRACKING_REFRESH_MS;
    },
  });

/** The recipient's rating (1–5) and comments. 409: already given; 403: the merchant turned feedback off. */
export function useSendFeedback(shortId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: FeedbackInput) => api.post<{ ok: true }>(`${apiPath(base, shortId)}/feedback`, input),
    onSuccess: () => {
      queryClient.setQueryData<Tracking>(queryKeys.trackingPublic(shortId), (t) => (t ? { ...t, feedback: { ...t.feedback, submitted: true } } : t));
    },
  });
}
