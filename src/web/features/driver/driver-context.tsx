import { createContext, useContext } from 'react';
import type { DriverMe } from '../../lib/types.ts';
import type { LocationSharing } from './use-location-sharing.ts';

export interface DriverContextValue extends DriverMe {
  location: LocationSharing;
}

export const DriverContext = createContext<DriverContextValue | null>(null);

/** The signed-in driver; only inside the driver app shell. */
export function useDriver(): DriverContextValue {
  const value = useContext(DriverContext);
  if (!value) throw new Error('useDriver() is only available inside the driver app.');
  return value;
}
