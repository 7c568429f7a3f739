import { notifications } from '@mantine/notifications';
import { errorMessage } from './api.ts';

export function notifySuccess(message: string, title?: string) {
  notifications.show({ color: 'green', title, message, withBorder: true });
}

export function notifyError(error: unknown, title = 'That did not work') {
  notifications.show({ color: 'red', title, message: errorMessage(error), withBorder: true, autoClose: 8000 });
}
