import type { ClientRow } from './clients.repository.ts';

export type ClientStatus = 'pending' | 'invited' | 'active' | 'deleted';

export interface ClientView {
  id: string;
  name: string;
  email: string;
  pendingEmail: string | null;
  status: ClientStatus;
  organization: string | null;
  autoAssign: { team: string | null };
  timeCreated: number;
  timeLastModified: number;
  timeInvited: number | null;
  invitationExpiresAt: number | null;
  timeAccepted: number | null;
  timeDeleted: number | null;
  /** orders this client has sent */
  orderCount: number;
}

export function toClient(r: ClientRow, orderCount = 0): ClientView {
  return {
    id: r.id,
    name: r.name,
    email: r.email,
    pendingEmail: r.pending_email,
    status: r.status as ClientStatus,
    organization: r.organization_id,
    autoAssign: { team: r.auto_assign_team_id },
    timeCreated: r.time_created,
    timeLastModified: r.time_last_modified,
    timeInvited: r.time_invited,
    invitationExpiresAt: r.status === 'invited' ? r.invitation_expires_at : null,
    timeAccepted: r.time_accepted,
    timeDeleted: r.time_deleted,
    orderCount,
  };
}

/** Which actions each status allows (the one place these rules live). */
export const clientRules = {
  canInvite: (s: ClientStatus) => s === 'pending' || s === 'invited',
  canEdit: (s: ClientStatus) => s !== 'deleted',
  canDelete: (s: ClientStatus) => s !== 'deleted',
  /** after acceptance an email change waits for the client's confirmation */
  emailNeedsConfirmation: (s: ClientStatus) => s === 'active',
};
