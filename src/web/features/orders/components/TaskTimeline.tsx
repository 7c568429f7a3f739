import { Text, ThemeIcon, Timeline } from '@mantine/core';
import { IconCheck, IconCirclePlus, IconPlayerPlay, IconPoint, IconUserCheck, IconUsersGroup, IconX } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useFormatters } from '../../../lib/format.ts';
import type { Task } from '../../../lib/types.ts';
import { failureReasonText } from '../lib/labels.ts';

interface Step {
  key: string;
  title: string;
  time: number | null;
  detail?: string;
  icon: ReactNode;
  color?: string;
  done: boolean;
}

const EVENT_TITLES: Record<string, string> = {
  start: 'Started',
  complete: 'Completed',
  fail: 'Failed',
  arrival: 'Arrived',
};

/**
 * A task's history: created, assigned, started, completed or failed — from its times and its
 * completion events. (The API keeps no time for the assignment itself.)
 */
export function taskSteps(task: Task, assignee: { driver: string | null; team: string | null }): Step[] {
  const steps: Step[] = [
    { key: 'created', title: 'Created', time: task.timeCreated, icon: <IconCirclePlus size={14} aria-hidden />, done: true },
  ];
  const events = task.completionDetails.events;
  const started = events.find((e) => e.name === 'start');
  const finished = task.state === 3;
  const cancelled = finished && (task.completionDetails.failureReason === 'CANCELLED' || task.completionDetails.failureReason === 'REJECTED');
  if (task.worker) {
    steps.push({
      key: 'assigned',
      title: 'Assigned',
      time: null,
      detail: assignee.driver ? `to ${assignee.driver}` : 'to a driver',
      icon: <IconUserCheck size={14} aria-hidden />,
      done: true,
    });
  } else if (task.container.type === 'TEAM' && assignee.team) {
    steps.push({ key: 'team', title: 'Queued for a team', time: null, detail: assignee.team, icon: <IconUsersGroup size={14} aria-hidden />, done: true });
  } else if (!cancelled) {
    steps.push({ key: 'assigned', title: 'Not assigned yet', time: null, icon: <IconUserCheck size={14} aria-hidden />, done: false });
  }
  if (started) steps.push({ key: 'started', title: 'Started', time: started.time, icon: <IconPlayerPlay size={14} aria-hidden />, done: true });
  else if (!cancelled) steps.push({ key: 'started', title: 'Not started', time: null, icon: <IconPlayerPlay size={14} aria-hidden />, done: false });
  // Any further events the drivers' devices reported (e.g. arrival).
  for (const [i, e] of events.entries()) {
    if (e.name === 'start' || e.name === 'complete' || e.name === 'fail') continue;
    steps.push({ key: `event-${i}`, title: EVENT_TITLES[e.name] ?? e.name, time: e.time, icon: <IconPoint size={14} aria-hidden />, done: true });
  }
  if (finished) {
    const success = task.completionDetails.success !== false;
    const reason = failureReasonText(task.completionDetails.failureReason);
    steps.push({
      key: 'finished',
      title: cancelled ? reason : success ? 'Completed' : 'Failed',
      time: task.completionDetails.time,
      detail: !success && !cancelled && reason ? reason : undefined,
      icon: success ? <IconCheck size={14} aria-hidden /> : <IconX size={14} aria-hidden />,
      color: success ? 'green' : 'red',
      done: true,
    });
  } else {
    steps.push({ key: 'finished', title: 'Not completed', time: null, icon: <IconCheck size={14} aria-hidden />, done: false });
  }
  return steps.sort((a, b) => (a.done === b.done ? (a.time !== null && b.time !== null ? a.time - b.time : 0) : a.done ? -1 : 1));
}

export function TaskTimeline({ task, driver, team }: { task: Task; driver: string | null; team: string | null }) {
  const fmt = useFormatters();
  const steps = taskSteps(task, { driver, team });
  const reached = steps.filter((s) => s.done).length - 1;
  return (
    <Timeline active={reached} bulletSize={24} lineWidth={2}>
      {steps.map((s) => (
        <Timeline.Item
          key={s.key}
          bullet={
            <ThemeIcon size={24} radius="xl" color={s.done ? (s.color ?? 'indigo') : 'gray'} variant={s.done ? 'filled' : 'light'}>
              {s.icon}
            </ThemeIcon>
          }
          title={
            <Text size="sm" fw={600} c={s.done ? undefined : 'dimmed'}>
              {s.title}
            </Text>
          }
        >
          {s.detail ? (
            <Text size="sm" c={s.done ? undefined : 'dimmed'}>
              {s.detail}
            </Text>
          ) : null}
          {s.time !== null ? (
            <Text size="xs" c="dimmed">
              {fmt.dateTime(s.time)}
            </Text>
          ) : null}
        </Timeline.Item>
      ))}
    </Timeline>
  );
}
