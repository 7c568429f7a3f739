import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { isApiError } from '../../lib/api.ts';
import { reportLocation } from './api/driver.ts';

/** At most one report in this time, unless the driver moved farther than MIN_DISTANCE_M. */
export const MIN_INTERVAL_MS = 15_000;
export const MIN_DISTANCE_M = 50;

export type SharingStatus =
  /** off duty: nothing is shared */
  | 'off'
  /** the browser has no geolocation (or the page is not served over HTTPS) */
  | 'unsupported'
  /** waiting for the first position (or for the permission prompt) */
  | 'locating'
  | 'sharing'
  /** the person or the browser refused the permission */
  | 'denied'
  /** the phone cannot find its position right now */
  | 'unavailable'
  /** positions are found but could not be sent */
  | 'failing';

export interface LocationSharing {
  status: SharingStatus;
  /** when the last position reached the server */
  lastSent: number | null;
  /** asks for the position again (after the person allowed it in the browser's settings) */
  retry: () => void;
}

/** Distance in meters between two [lng, lat] points (haversine). */
export function distanceMeters(a: [number, number], b: [number, number]): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLng = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Whether a new position is worth reporting, given the last one reported. */
export function shouldReport(
  last: { at: number; location: [number, number] } | null,
  next: { at: number; location: [number, number] },
): boolean {
  if (!last) return true;
  return next.at - last.at >= MIN_INTERVAL_MS || distanceMeters(last.location, next.location) > MIN_DISTANCE_M;
}

/**
 * While `active` (the driver is on duty), watches the phone's position and reports it to the
 * server, throttled. Refusing the permission only stops the sharing; everything else still works.
 */
export function useLocationSharing(active: boolean): LocationSharing {
  const supported = typeof navigator !== 'undefined' && 'geolocation' in navigator;
  const [state, setState] = useState<{ status: SharingStatus; lastSent: number | null }>({ status: 'off', lastSent: null });
  const [attempt, setAttempt] = useState(0);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const last = useRef<{ at: number; location: [number, number] } | null>(null);
  const sending = useRef(false);

  useEffect(() => {
    if (!active || !supported) return;
    let stopped = false;
    setState((s) => ({ ...s, status: 'locating' }));

    const onPosition = (position: GeolocationPosition) => {
      if (stopped || sending.current) return;
      const location: [number, number] = [position.coords.longitude, position.coords.latitude];
      const next = { at: Date.now(), location };
      if (!shouldReport(last.current, next)) return;
      sending.current = true;
      reportLocation({
        location,
        accuracy: Number.isFinite(position.coords.accuracy) ? Math.min(Math.round(position.coords.accuracy), 100_000) : undefined,
        time: Math.round(position.timestamp) || undefined,
      })
        .then(() => {
          last.current = next;
          if (!stopped) setState({ status: 'sharing', lastSent: next.at });
        })
        .catch((error: unknown) => {
          // A 401 ends the session; the app shell shows the sign-in message.
          if (!stopped && !isApiError(error, 401)) setState((s) => ({ ...s, status: 'failing' }));
        })
        .finally(() => {
          sending.current = false;
        });
    };

    const onError = (error: GeolocationPositionError) => {
      if (stopped) return;
      if (error.code === error.PERMISSION_DENIED) setState((s) => ({ ...s, status: 'denied' }));
      else if (error.code === error.POSITION_UNAVAILABLE) setState((s) => ({ ...s, status: 'unavailable' }));
      // TIMEOUT: keep watching; the next position may come.
    };

    const watch = navigator.geolocation.watchPosition(onPosition, onError, {
      enableHighAccuracy: true,
      maximumAge: 10_000,
      timeout: 60_000,
    });
    return () => {
      stopped = true;
      navigator.geolocation.clearWatch(watch);
      last.current = null;
    };
  }, [active, supported, attempt]);

  const status: SharingStatus = !active ? 'off' : !supported ? 'unsupported' : state.status;
  const lastSent = supported ? state.lastSent : null;
  return useMemo(() => ({ status, lastSent, retry }), [status, lastSent, retry]);
}
