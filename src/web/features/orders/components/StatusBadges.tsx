import { Badge } from '@mantine/core';
import type { OrderStatus, Task } from '../../../lib/types.ts';
import { ORDER_STATUS, TASK_STATUS, taskStatusKey } from '../lib/labels.ts';

export function OrderStatusBadge({ status, size = 'md' }: { status: OrderStatus; size?: 'sm' | 'md' | 'lg' }) {
  const s = ORDER_STATUS[status] ?? { label: status, color: 'gray' };
  return (
    <Badge variant="light" color={s.color} tt="none" size={size} style={{ flexShrink: 0, minWidth: 'max-content' }}>
      {s.label}
    </Badge>
  );
}

export function TaskStatusBadge({ task, size = 'md' }: { task: Pick<Task, 'state' | 'completionDetails'>; size?: 'sm' | 'md' }) {
  const s = TASK_STATUS[taskStatusKey(task)];
  return (
    <Badge variant="light" color={s.color} tt="none" size={size} style={{ flexShrink: 0, minWidth: 'max-content' }}>
      {s.label}
    </Badge>
  );
}
