import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { Organization, SessionUser } from './types.ts';

export interface SignedIn {
  user: SessionUser;
  organization: Organization;
}

const SessionContext = createContext<SignedIn | null>(null);

export function SessionProvider({ value, children }: { value: SignedIn; children: ReactNode }) {
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The signed-in user and organization; only inside the signed-in part of the app. */
export function useSession(): SignedIn {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession() is only available to signed-in pages.');
  return value;
}

export interface Permissions {
  /** may create, change and delete operational data (teams, drivers) */
  canWrite: boolean;
  /** owner or administrator */
  isAdmin: boolean;
  /** may manage people, API keys and the organization's settings */
  canAdminister: boolean;
}

export function permissionsOf(user: SessionUser): Permissions {
  const isAdmin = user.role === 'owner' || user.role === 'super';
  return { canWrite: !user.isReadOnly, isAdmin, canAdminister: isAdmin && !user.isReadOnly };
}

export function usePermissions(): Permissions {
  const { user } = useSession();
  return useMemo(() => permissionsOf(user), [user]);
}

export const roleLabel: Record<SessionUser['role'], string> = {
  owner: 'Owner',
  super: 'Administrator',
  standard: 'Dispatcher',
};

export function useSessionOrNull(): SignedIn | null {
  return useContext(SessionContext);
}
