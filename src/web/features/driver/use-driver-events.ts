import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { queryKeys } from '../../lib/query-keys.ts';

/** The live events that change the driver's task list. */
const TASK_EVENTS = [
  'task.created',
  'task.updated',
  'task.assigned',
  'task.unassigned',
  'task.started',
  'task.completed',
  'task.deleted',
  'task.cloned',
  'worker.route',
];

/** The events that change the driver's own record (duty set from the dashboard, a new vehicle…). */
const WORKER_EVENTS = ['worker.updated', 'worker.duty', 'worker.deleted'];

/**
 * Listens to the server's live events (GET /api/v2/events) while signed in and reads the task
 * list again on each task event. The list is also read every 30 seconds (see driverTasksQuery),
 * so a dropped connection only delays updates.
 */
export function useDriverEvents(enabled: boolean) {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/v2/events');
    // One change often comes as several events (a new list assigns each of its tasks): read once.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refreshTasks = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void queryClient.invalidateQueries({ queryKey: queryKeys.driverTasks }), 250);
    };
    const refreshMe = () => void queryClient.invalidateQueries({ queryKey: queryKeys.driverMe });
    let dropped = false;
    const onOpen = () => {
      // Events may have been missed while the connection was down.
      if (dropped) refreshTasks();
      dropped = false;
    };
    const onError = () => {
      dropped = true;
    };
    for (const type of TASK_EVENTS) source.addEventListener(type, refreshTasks);
    for (const type of WORKER_EVENTS) source.addEventListener(type, refreshMe);
    source.addEventListener('open', onOpen);
    source.addEventListener('error', onError);
    return () => {
      clearTimeout(timer);
      source.close();
    };
  }, [enabled, queryClient]);
}
