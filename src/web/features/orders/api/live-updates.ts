import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { queryKeys } from '../../../lib/query-keys.ts';
import type { Worker } from '../../../lib/types.ts';

/** One message of GET /api/v2/events (Server-Sent Events). */
export interface LiveEvent {
  /** e.g. "order.updated", "task.assigned", "worker.location" */
  type: string;
  /** the order, task or worker it is about */
  id: string;
  time: number;
  data: unknown;
}

export type LiveStatus = 'connecting' | 'live' | 'offline';

const EVENT_NAMES = [
  'order.created',
  'order.updated',
  'task.created',
  'task.updated',
  'task.assigned',
  'task.unassigned',
  'task.started',
  'task.completed',
  'task.deleted',
  'task.cloned',
  'worker.created',
  'worker.updated',
  'worker.deleted',
  'worker.duty',
  'worker.location',
];

/** What each kind of event makes stale. */
function staleRoots(type: string): (readonly string[])[] {
  if (type.startsWith('order.')) return [queryKeys.orders];
  // An order shows its tasks, and a task its order's status.
  if (type.startsWith('task.')) return [queryKeys.tasks, queryKeys.orders];
  if (type === 'worker.created' || type === 'worker.deleted') return [queryKeys.workers, queryKeys.teams];
  if (type.startsWith('worker.')) return [queryKeys.workers];
  return [];
}

/** A driver's new position goes straight into the drivers list (no refetch for every step). */
function applyLocation(queryClient: QueryClient, data: unknown) {
  const d = data as { worker?: unknown; location?: unknown; time?: unknown } | null;
  if (!d || typeof d.worker !== 'string' || !Array.isArray(d.location) || d.location.length !== 2) return;
  const location = [Number(d.location[0]), Number(d.location[1])] as [number, number];
  const time = typeof d.time === 'number' ? d.time : Date.now();
  queryClient.setQueryData<Worker[]>(queryKeys.workers, (workers) =>
    workers?.map((w) => (w.id === d.worker ? { ...w, location, timeLastSeen: time } : w)),
  );
}

/**
 * Keeps the page's orders, tasks and drivers current: opens the live event stream (the session
 * cookie authenticates it) and refreshes the queries each event touches. EventSource reconnects by
 * itself (and resumes with Last-Event-ID); a refused stream is retried after a pause.
 */
export function useLiveUpdates(onEvent?: (event: LiveEvent) => void): LiveStatus {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const onEventRef = useRef(onEvent);
  onEventRef.current = onEvent;

  useEffect(() => {
    if (typeof EventSource === 'undefined') {
      setStatus('offline');
      return;
    }
    let source: EventSource | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    let interrupted = false;
    const stale = new Map<string, readonly string[]>();

    // Several events arrive together (an assignment changes a task and its order): refetch once.
    const flush = () => {
      flushTimer = undefined;
      for (const key of stale.values()) void queryClient.invalidateQueries({ queryKey: key });
      stale.clear();
    };
    const markStale = (keys: (readonly string[])[]) => {
      for (const key of keys) stale.set(key.join('/'), key);
      if (!flushTimer) flushTimer = setTimeout(flush, 200);
    };

    const onMessage = (message: MessageEvent<string>) => {
      let event: LiveEvent;
      try {
        event = JSON.parse(message.data) as LiveEvent;
      } catch {
        return;
      }
      const type = typeof event.type === 'string' ? event.type : message.type;
      if (type === 'worker.location') applyLocation(queryClient, event.data);
      else markStale(staleRoots(type));
      onEventRef.current?.({ ...event, type });
    };

    const connect = () => {
      const es = new EventSource('/api/v2/events');
      source = es;
      for (const name of EVENT_NAMES) es.addEventListener(name, onMessage as EventListener);
      es.onopen = () => {
        setStatus('live');
        // Anything may have changed while the stream was down.
        if (interrupted) markStale([queryKeys.orders, queryKeys.tasks, queryKeys.workers]);
        interrupted = false;
      };
      es.onerror = () => {
        interrupted = true;
        if (es.readyState === EventSource.CLOSED) {
          // The server refused the stream (e.g. the session ended): try again later.
          setStatus('offline');
          es.close();
          retryTimer = setTimeout(connect, 15_000);
        } else {
          setStatus('connecting');
        }
      };
    };
    connect();

    return () => {
      source?.close();
      if (retryTimer) clearTimeout(retryTimer);
      if (flushTimer) clearTimeout(flushTimer);
    };
  }, [queryClient]);

  return status;
}
