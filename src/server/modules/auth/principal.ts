import { AppError, forbidden, unauthenticated } from '../../lib/errors.ts';

export type OrgKind = 'courier' | 'client';
export type Role = 'owner' | 'super' | 'standard';

/** A person signed in to the dashboard or portal, or an API key acting for its organization. */
export interface UserPrincipal {
  kind: 'user';
  via: 'session' | 'apiKey';
  organizationId: string;
  orgKind: OrgKind;
  /** null for API keys */
  userId: string | null;
  role: Role;
  readOnly: boolean;
  apiKeyId: string | null;
  /** who to record in the audit trail */
  label: string;
}

export interface DriverPrincipal {
  kind: 'driver';
  via: 'session';
  organizationId: string;
  workerId: string;
  label: string;
}

export type Principal = UserPrincipal | DriverPrincipal;

export function requireUser(p: Principal | null): UserPrincipal {
  if (!p) throw unauthenticated();
  if (p.kind !== 'user') throw forbidden('This needs a dashboard account or an API key.');
  return p;
}

export interface Need {
  org?: OrgKind;
  /** may change data (refused for read-only accounts) */
  write?: boolean;
  /** needs an admin (owner or super) */
  admin?: boolean;
}

/** Checks that the caller is a user of the right kind of organization with enough rights. */
export function authorize(p: Principal | null, need: Need = {}): UserPrincipal {
  const u = requireUser(p);
  if (need.org && u.orgKind !== need.org) {
    throw forbidden(
      need.org === 'courier' ? 'Only the courier organization can do this.' : 'Only a client organization can do this.',
    );
  }
  if (need.write && u.readOnly) throw new AppError('readOnly', 'Your account is read-only.');
  if (need.admin && u.role === 'standard') throw forbidden('Only administrators can do this.');
  return u;
}

export function isAdmin(p: UserPrincipal): boolean {
  return p.role === 'owner' || p.role === 'super';
}
