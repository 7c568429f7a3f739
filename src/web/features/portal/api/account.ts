import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, isApiError } from '../../../lib/api.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import type { PendingEmailChange, Session } from '../../../lib/types.ts';

/**
 * The server answers a wrong password confirmation with 401, as it does an ended session; the app
 * treats every 401 as "signed out". When the session is still there, it becomes an error at the
 * password field instead.
 */
async function wrongPasswordAsFieldError<T>(run: () => Promise<T>, field: string): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!isApiError(err, 401) || err.error !== 1100) throw err;
    const stillSignedIn = await api.get<Session>('/api/v2/session').then(
      () => true,
      () => false,
    );
    if (!stillSignedIn) throw err;
    throw new ApiError({ status: 400, code: err.code, error: err.error, message: err.message, cause: { field }, requestId: err.requestId });
  }
}

export interface ChangeEmailInput {
  email: string;
  password: string;
}

/** Asks to sign in with another address; it changes once the link mailed there is followed. */
export function useChangeEmail() {
  return useMutation({
    mutationFn: (input: ChangeEmailInput) =>
      wrongPasswordAsFieldError(() => api.post<PendingEmailChange>('/api/v2/account/email', input), 'password'),
  });
}

export interface ChangePasswordInput {
  currentPassword: string;
  newPassword: string;
}

/** Changes the password; the server signs out every other session and answers with a fresh one. */
export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ChangePasswordInput) =>
      wrongPasswordAsFieldError(() => api.post<Session>('/api/v2/account/password', input), 'currentPassword'),
    onSuccess: (session) => queryClient.setQueryData(queryKeys.session, session),
  });
}
