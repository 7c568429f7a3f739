import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, apiPath } from '../../../lib/api.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import type { Client, ClientsPage } from '../../../lib/types.ts';

const base = '/api/v2/taskOrders/import';

export type PreviewRowStatus = 'ready' | 'invalid' | 'duplicate';

export interface PreviewRow {
  /** the row's line in the file (1 = the header) */
  line: number;
  status: PreviewRowStatus;
  reference: string | null;
  pickup: string;
  dropoff: string;
  recipient: string;
  problems: { field: string; message: string }[];
  /** an order imported earlier from the same row, or an earlier line of this file */
  duplicateOf: { orderShortId?: string; line?: number } | null;
}

export interface ImportPreview {
  columns: { used: string[]; ignored: string[] };
  rows: PreviewRow[];
  summary: { total: number; ready: number; invalid: number; duplicate: number };
}

export type ImportJobStatus = 'pending' | 'processing' | 'completed' | 'completedWithErrors';

export interface ImportJobRow {
  line: number;
  status: 'created' | 'duplicate' | 'failed';
  orderShortId: string | null;
  error: string | null;
}

export interface ImportJob {
  id: string;
  status: ImportJobStatus;
  total: number;
  processed: number;
  created: number;
  duplicates: number;
  failed: number;
  rows: ImportJobRow[];
  timeCreated: number;
  timeFinished: number | null;
}

export interface ImportInput {
  csv: string;
  /** the client's id; only when the courier imports on a client's behalf */
  client?: string;
}

export const jobFinished = (job: Pick<ImportJob, 'status'> | undefined) => job?.status === 'completed' || job?.status === 'completedWithErrors';

/** A cheap fingerprint of the file's text, so that the preview's key does not hold the whole file. */
function fingerprint(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return `${text.length}:${(h2 >>> 0).toString(16)}${(h1 >>> 0).toString(16)}`;
}

/**
 * Checks the file row by row; nothing is created. Forgotten as soon as no one shows it, so that a
 * file checked again after an import shows the rows it imported as duplicates.
 */
export const importPreviewQuery = (input: ImportInput) =>
  queryOptions({
    queryKey: queryKeys.importPreview({ client: input.client ?? null, file: fingerprint(input.csv) }),
    queryFn: ({ signal }) => api.post<ImportPreview>(`${base}/preview`, input, { signal }),
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
    refetchOnWindowFocus: false,
  });

/** An import's progress, polled every second until it has finished. */
export const importJobQuery = (jobId: string) =>
  queryOptions({
    queryKey: queryKeys.importJob(jobId),
    queryFn: ({ signal }) => api.get<ImportJob>(apiPath(base, jobId), { signal }),
    refetchInterval: (query) => (jobFinished(query.state.data) || query.state.status === 'error' ? false : 1000),
    refetchIntervalInBackground: true,
    staleTime: (query) => (jobFinished(query.state.data) ? Infinity : 0),
  });

/** Starts the import in the background. */
export function useStartImport() {
  return useMutation({
    mutationFn: (input: ImportInput) => api.post<{ jobId: string; total: number }>(base, input),
  });
}

/** Once an import has finished, every list of orders and tasks (and the clients' order counts) is out of date. */
export function useRefreshAfterImport() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: queryKeys.orders }),
      queryClient.invalidateQueries({ queryKey: queryKeys.tasks }),
      queryClient.invalidateQueries({ queryKey: queryKeys.clients }),
    ]);
}

/** The courier's active clients (a few pages of 200): only they can have orders. */
export const activeClientsQuery = queryOptions({
  queryKey: queryKeys.activeClients,
  queryFn: async ({ signal }) => {
    const all: Client[] = [];
    let lastId: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await api.get<ClientsPage>('/api/v2/clients', { query: { status: 'active', limit: 200, lastId }, signal });
      all.push(...res.clients);
      lastId = res.lastId;
      if (!lastId) break;
    }
    return all.sort((a, b) => a.name.localeCompare(b.name));
  },
  staleTime: 30_000,
});
