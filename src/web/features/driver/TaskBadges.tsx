import { Badge, Group } from '@mantine/core';
import type { Task } from '../../lib/types.ts';
import { isLate, taskKind } from './task-format.ts';
import { SUCCESS_COLOR } from './colors.ts';

/** Pickup or dropoff, in progress, late. */
export function TaskBadges({ task }: { task: Task }) {
  return (
    <Group gap={6} wrap="wrap">
      <Badge variant="light" color={task.pickupTask ? 'grape' : 'cyan'} size="lg" radius="sm">
        {taskKind(task)}
      </Badge>
      {task.state === 2 ? (
        <Badge variant="filled" color={SUCCESS_COLOR} size="lg" radius="sm">
          In progress
        </Badge>
      ) : null}
      {isLate(task) ? (
        <Badge variant="light" color="red" size="lg" radius="sm">
          Late
        </Badge>
      ) : null}
    </Group>
  );
}
