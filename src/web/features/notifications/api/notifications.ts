import { infiniteQueryOptions, keepPreviousData, queryOptions, useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, apiPath } from '../../../lib/api.ts';
import { queryKeys } from '../../../lib/query-keys.ts';

/** The HTTP contract of /api/v2/notifications (recipient notification rules and what they sent). */

export type Trigger =
  | 'taskStarted'
  | 'taskEta'
  | 'driverArriving'
  | 'taskCompleted'
  | 'taskFailed'
  | 'dependencyStarted'
  | 'dependencyCompleted'
  | 'taskDelayed';

export type AppliesTo = 'both' | 'pickup' | 'dropoff';
export type Channel = 'sms' | 'email';

export interface NotificationRule {
  id: string;
  trigger: Trigger;
  appliesTo: AppliesTo;
  /** at least one */
  channels: Channel[];
  template: string;
  subject: string | null;
  /** taskEta: seconds; driverArriving: meters; taskDelayed: seconds late; otherwise null */
  threshold: number | null;
  enabled: boolean;
  timeCreated: number;
  timeLastModified: number;
}

export interface NotificationRules {
  rules: NotificationRule[];
  /** a client without rules of its own: the courier's rules (courierDefaults) apply to its orders */
  usesCourierDefaults: boolean;
  courierDefaults: NotificationRule[];
}

export interface RuleInput {
  trigger: Trigger;
  appliesTo?: AppliesTo;
  channels: Channel[];
  template: string;
  subject?: string | null;
  threshold?: number | null;
  enabled?: boolean;
}

export interface PreviewInput {
  template: string;
  subject?: string;
  trigger?: Trigger;
  taskId?: string;
}

export interface Preview {
  text: string;
  subject: string;
  taskId: string | null;
  taskShortId: string | null;
  /** true when the organization has no task yet and made-up data was used */
  sample: boolean;
}

export type NotificationStatus = 'queued' | 'sent' | 'kept' | 'failed' | 'skipped';

export interface NotificationMessage {
  id: string;
  taskId: string;
  taskShortId: string;
  orderShortId: string | null;
  ruleId: string | null;
  trigger: Trigger;
  channel: Channel;
  to: string;
  subject: string | null;
  text: string;
  status: NotificationStatus;
  attempts: number;
  lastError: string | null;
  timeCreated: number;
  timeSent: number | null;
}

export interface NotificationLogPage {
  messages: NotificationMessage[];
  /** absent on the last page */
  lastId?: string;
}

const base = '/api/v2/notifications';
const LOG_PAGE_SIZE = 50;

/** The caller's organization's rules (and, for a client without any, its courier's). */
export const notificationRulesQuery = queryOptions({
  queryKey: queryKeys.notificationRules,
  queryFn: ({ signal }) => api.get<NotificationRules>(base, { signal }),
  staleTime: 0,
});

/** What the rules sent, newest first, a page at a time; read again every 10 s while shown. */
export const notificationLogQuery = infiniteQueryOptions({
  queryKey: queryKeys.notificationLog,
  queryFn: ({ pageParam, signal }) =>
    api.get<NotificationLogPage>(`${base}/log`, { query: { lastId: pageParam, limit: LOG_PAGE_SIZE }, signal }),
  initialPageParam: undefined as string | undefined,
  getNextPageParam: (last) => last.lastId ?? undefined,
  staleTime: 0,
  refetchInterval: 10_000,
});

/** A template rendered with real (or sample) data. Unknown tags fail with 400, so no retries. */
export const notificationPreviewQuery = (input: PreviewInput) =>
  queryOptions({
    queryKey: queryKeys.notificationPreview(input),
    queryFn: ({ signal }) => api.post<Preview>(`${base}/preview`, input, { signal }),
    retry: false,
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });

function refresh(queryClient: QueryClient) {
  return queryClient.invalidateQueries({ queryKey: queryKeys.notificationRules });
}

export function useCreateRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: RuleInput) => api.post<NotificationRule>(base, input),
    onSuccess: () => refresh(queryClient),
  });
}

export function useUpdateRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: Partial<RuleInput> & { id: string }) => api.put<NotificationRule>(apiPath(base, id), input),
    onSuccess: () => refresh(queryClient),
  });
}

/** Turns a rule on or off, showing the change at once and undoing it if the server refuses. */
export function useToggleRule() {
  const queryClient = useQueryClient();
  const key = queryKeys.notificationRules;
  return useMutation({
    mutationFn: ({ id, enabled }: { id: string; enabled: boolean }) => api.put<NotificationRule>(apiPath(base, id), { enabled }),
    onMutate: async ({ id, enabled }) => {
      await queryClient.cancelQueries({ queryKey: key });
      const before = queryClient.getQueryData<NotificationRules>(key);
      if (before) {
        queryClient.setQueryData<NotificationRules>(key, {
          ...before,
          rules: before.rules.map((r) => (r.id === id ? { ...r, enabled } : r)),
        });
      }
      return { before };
    },
    onError: (_error, _input, context) => {
      if (context?.before) queryClient.setQueryData(key, context.before);
    },
    onSettled: () => refresh(queryClient),
  });
}

export function useDeleteRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(apiPath(base, id)),
    onSuccess: () => refresh(queryClient),
  });
}

/** Copies the courier's default rules into the client's own, one by one, in their order. */
export function useCopyCourierDefaults() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (defaults: NotificationRule[]) => {
      const created: NotificationRule[] = [];
      for (const r of [...defaults].sort((a, b) => a.timeCreated - b.timeCreated)) {
        created.push(
          await api.post<NotificationRule>(base, {
            trigger: r.trigger,
            appliesTo: r.appliesTo,
            channels: r.channels,
            template: r.template,
            ...(r.subject !== null ? { subject: r.subject } : {}),
            ...(r.threshold !== null ? { threshold: r.threshold } : {}),
            enabled: r.enabled,
          } satisfies RuleInput),
        );
      }
      return created;
    },
    // Also after a partial failure: whatever was copied is the client's own now.
    onSettled: () => refresh(queryClient),
  });
}
