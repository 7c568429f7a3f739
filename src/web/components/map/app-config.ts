import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api.ts';
import { queryKeys } from '../../lib/query-keys.ts';
import type { AppConfig } from '../../lib/types.ts';

/** The installation's public settings (map tiles); public, so it also works for drivers and clients. */
export const appConfigQuery = queryOptions({
  queryKey: queryKeys.appConfig,
  queryFn: ({ signal }) => api.get<AppConfig>('/api/v2/app-config', { signal }),
  staleTime: 60 * 60_000,
});

export interface MapTiles {
  /** a Leaflet tile URL template; empty when the installation turned tiles off */
  url: string;
  attribution: string;
}

/** The tile server to draw maps with: undefined while loading, url '' when there is none. */
export function useMapTiles(): MapTiles | undefined {
  const config = useQuery(appConfigQuery);
  if (config.isError) return { url: '', attribution: '' };
  return config.data?.mapTiles;
}
