import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, apiPath } from '../../../lib/api.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import type { DriverMe, FailureReason, Task, Worker } from '../../../lib/types.ts';

/** The signed-in driver and its organization. 401: nobody is signed in; 403: a dashboard session, not a driver. */
export const driverMeQuery = queryOptions({
  queryKey: queryKeys.driverMe,
  queryFn: ({ signal }) => api.get<DriverMe>('/api/v2/driver/me', { signal }),
  staleTime: 60_000,
});

/** How often the task list is read again when no live event arrives. */
export const TASKS_REFRESH_MS = 30_000;

/** The driver's open tasks in the order to do them, the active one first. */
export const driverTasksQuery = queryOptions({
  queryKey: queryKeys.driverTasks,
  queryFn: async ({ signal }) => (await api.get<{ tasks: Task[] }>('/api/v2/driver/tasks', { signal })).tasks,
  refetchInterval: TASKS_REFRESH_MS,
  staleTime: 5_000,
});

/** Exchanges the token of a sign-in link for a driver session (the server sets the session cookie). */
export function useStartDriverSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (token: string) => api.post<{ sessionToken: string; expiresAt: number }>('/api/v2/driver/session', { token }),
    onSuccess: () => {
      // Whatever was read before belonged to another session.
      queryClient.removeQueries({ queryKey: ['driver'] });
      queryClient.removeQueries({ queryKey: queryKeys.session });
    },
  });
}

export function useSetDuty() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (onDuty: boolean) => api.put<Worker>('/api/v2/driver/duty', { onDuty }),
    onSuccess: (worker) => {
      queryClient.setQueryData<DriverMe>(queryKeys.driverMe, (me) => (me ? { ...me, worker } : me));
      return queryClient.invalidateQueries({ queryKey: queryKeys.driverTasks });
    },
  });
}

/** Ends the driver's session (the cookie's). */
export function useDriverSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete('/api/v2/session'),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: queryKeys.driverTasks });
      return queryClient.resetQueries({ queryKey: queryKeys.driverMe });
    },
  });
}

export interface LocationReport {
  /** [longitude, latitude] */
  location: [number, number];
  accuracy?: number;
  time?: number;
}

export const reportLocation = (report: LocationReport) => api.post<{ ok: true }>('/api/v2/driver/location', report);

/** Replaces one task in the cached list (or drops it, once it is no longer open). */
function patchTaskList(tasks: Task[] | undefined, task: Task): Task[] | undefined {
  if (!tasks) return tasks;
  if (task.state === 3) return tasks.filter((t) => t.id !== task.id);
  return tasks.map((t) => (t.id === task.id ? task : t));
}

export function useStartTask() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<Task>(`${apiPath('/api/v2/tasks', id)}/start`),
    onSuccess: (task) => {
      queryClient.setQueryData<Task[]>(queryKeys.driverTasks, (tasks) => patchTaskList(tasks, task));
      return queryClient.invalidateQueries({ queryKey: queryKeys.driverTasks });
    },
  });
}

export type UploadKind = 'photo' | 'signature';

/** Uploads a proof image; returns its upload id. */
export async function uploadProof(image: Blob, kind: UploadKind, filename: string): Promise<string> {
  const form = new FormData();
  // The server reads the fields that come before the file, so "kind" goes first.
  form.append('kind', kind);
  form.append('file', image, filename);
  const { id } = await api.post<{ id: string }>('/api/v2/uploads', form);
  return id;
}

export interface CompletionDetails {
  success: boolean;
  notes?: string;
  failureReason?: FailureReason;
}

export interface CompletionInput {
  id: string;
  details: CompletionDetails;
  /** a photo ready to upload (see preparePhoto) */
  photo: Blob | null;
  /** the signature as a PNG */
  signature: Blob | null;
}

/** Images already uploaded, so that a retry after a refused completion does not send them again. */
const uploaded = new WeakMap<Blob, string>();

async function uploadOnce(image: Blob, kind: UploadKind): Promise<string> {
  const known = uploaded.get(image);
  if (known) return known;
  const filename = kind === 'signature' ? 'signature.png' : image.type === 'image/png' ? 'photo.png' : image.type === 'image/webp' ? 'photo.webp' : 'photo.jpg';
  const id = await uploadProof(image, kind, filename);
  uploaded.set(image, id);
  return id;
}

/** Uploads the photo and the signature, then completes the task (as succeeded or failed). */
export function useCompleteTask() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, details, photo, signature }: CompletionInput) => {
      const photoUploadIds = photo ? [await uploadOnce(photo, 'photo')] : undefined;
      const signatureUploadId = signature ? await uploadOnce(signature, 'signature') : undefined;
      return api.post<Task>(`${apiPath('/api/v2/tasks', id)}/complete`, {
        completionDetails: { ...details, photoUploadIds, signatureUploadId },
      });
    },
    onSuccess: (task) => {
      queryClient.setQueryData<Task[]>(queryKeys.driverTasks, (tasks) => patchTaskList(tasks, task));
      // Not awaited: the list is already right, this only catches up with anything else that changed.
      void queryClient.invalidateQueries({ queryKey: queryKeys.driverTasks });
    },
  });
}
