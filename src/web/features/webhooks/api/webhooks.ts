import { infiniteQueryOptions, queryOptions, useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, apiPath } from '../../../lib/api.ts';
import { queryKeys } from '../../../lib/query-keys.ts';

/** The HTTP contract of /api/v2/webhooks (Onfleet-compatible webhooks and their delivery logs). */

export interface Webhook {
  id: string;
  organization: string;
  name: string;
  url: string;
  /** an Onfleet trigger id, see webhook-text.ts */
  trigger: number;
  /** taskEta and taskDelayed: seconds; taskArrival: meters; absent for other triggers */
  threshold?: number;
  isEnabled: boolean;
  /** why Baton turned it off (deliveries kept failing); null when on or turned off by a person */
  disabledReason: string | null;
  /** deliveries made */
  count: number;
  timeCreated: number;
  timeLastModified: number;
}

export interface CreateWebhookInput {
  url: string;
  name: string;
  trigger: number;
  threshold?: number;
}

export interface UpdateWebhookInput {
  name?: string;
  isEnabled?: boolean;
  threshold?: number;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface DeliveryAttempt {
  attempt: number;
  time: number;
  statusCode: number | null;
  latencyMs: number;
  responseExcerpt: string | null;
  error: string | null;
}

export interface Delivery {
  id: string;
  triggerId: number;
  triggerName: string;
  /** the task or driver the event is about */
  subjectId: string | null;
  status: DeliveryStatus;
  attempts: number;
  /** pending deliveries only */
  nextAttemptAt: number | null;
  lastStatusCode: number | null;
  lastError: string | null;
  timeCreated: number;
  timeDelivered: number | null;
  attemptLog: DeliveryAttempt[];
}

export interface DeliveryPage {
  deliveries: Delivery[];
  /** absent on the last page */
  lastId?: string;
}

const base = '/api/v2/webhooks';
const DELIVERY_PAGE_SIZE = 25;

/** The organization's webhooks. */
export const webhooksQuery = queryOptions({
  queryKey: queryKeys.webhookList,
  queryFn: ({ signal }) => api.get<Webhook[]>(base, { signal }),
  staleTime: 0,
});

/** One webhook's deliveries, newest first, a page at a time; read again every 5 s while shown. */
export const webhookDeliveriesQuery = (webhookId: string) =>
  infiniteQueryOptions({
    queryKey: queryKeys.webhookDeliveries(webhookId),
    queryFn: ({ pageParam, signal }) =>
      api.get<DeliveryPage>(`${apiPath(base, webhookId)}/deliveries`, { query: { lastId: pageParam, limit: DELIVERY_PAGE_SIZE }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.lastId ?? undefined,
    staleTime: 0,
    refetchInterval: 5_000,
  });

/** Puts a changed webhook into the list at once, then reads the list again. */
function remember(queryClient: QueryClient, webhook?: Webhook) {
  if (webhook) {
    queryClient.setQueryData<Webhook[]>(queryKeys.webhookList, (list) => list?.map((w) => (w.id === webhook.id ? webhook : w)));
  }
  return queryClient.invalidateQueries({ queryKey: queryKeys.webhookList });
}

/** Registers a webhook; the server first checks the URL (error 1008 when it fails). */
export function useCreateWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateWebhookInput) => api.post<Webhook>(base, input),
    onSuccess: () => remember(queryClient),
  });
}

export function useUpdateWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: UpdateWebhookInput & { id: string }) => api.put<Webhook>(apiPath(base, id), input),
    onSuccess: (webhook) => remember(queryClient, webhook),
  });
}

/** The mutation key of turning one webhook on or off, so that every control of it shows the change in progress. */
export const toggleKey = (id: string) => ['webhooks', 'toggle', id] as const;

/** Turns a webhook on (the server checks the URL again, error 1008) or off. */
export function useToggleWebhook(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: toggleKey(id),
    mutationFn: (isEnabled: boolean) => api.put<Webhook>(apiPath(base, id), { isEnabled }),
    onSuccess: (webhook) => remember(queryClient, webhook),
  });
}

export function useDeleteWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(apiPath(base, id)),
    onSuccess: (_data, id) => {
      queryClient.removeQueries({ queryKey: queryKeys.webhookDeliveries(id) });
      return remember(queryClient);
    },
  });
}

/** A new signing secret for all the organization's webhooks; the answer is the only time it is shown. */
export function useRotateSecret() {
  return useMutation({
    mutationFn: () => api.post<{ secret: string }>(`${base}/secret`),
  });
}

/** Queues a delivery again now; the log and the webhook's count follow. */
export function useRedeliver(webhookId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (deliveryId: string) => api.post<Delivery>(`${apiPath(base, webhookId, 'deliveries', deliveryId)}/redeliver`),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.webhookDeliveries(webhookId) }),
        queryClient.invalidateQueries({ queryKey: queryKeys.webhookList }),
      ]),
  });
}
