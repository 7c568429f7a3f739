/** Shapes of the Baton HTTP API (v2) the web app reads. Times are Unix milliseconds. */

export type Role = 'owner' | 'super' | 'standard';

export interface Organization {
  id: string;
  name: string;
  email: string;
  country: string;
  timezone: string;
  image: string | null;
  kind: 'courier' | 'client';
  timeCreated: number;
  timeLastModified: number;
}

export interface SessionUser {
  id: string;
  name: string;
  email: string;
  role: Role;
  isReadOnly: boolean;
}

export interface Session {
  kind: 'user' | 'driver';
  user: SessionUser | null;
  organization: Organization;
}

export interface SetupStatus {
  needed: boolean;
}

export type AdminStatus = 'invited' | 'active' | 'deactivated';

export interface Admin {
  id: string;
  organization: string;
  email: string;
  name: string;
  phone: string | null;
  type: 'super' | 'standard';
  isAccountOwner: boolean;
  isReadOnly: boolean;
  isActive: boolean;
  status: AdminStatus;
  teams: string[];
  timeCreated: number;
  timeLastModified: number;
  timeLastSignIn: number | null;
}

export interface AdminInvitation {
  organizationName: string;
  name: string;
  email: string;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  lastUsed: number | null;
  timeCreated: number;
}

export interface NewApiKey extends ApiKey {
  key: string;
}

export interface Team {
  id: string;
  name: string;
  workers: string[];
  managers: string[];
  hub: string | null;
  enableSelfAssignment: boolean;
  tasks: string[];
  timeCreated: number;
  timeLastModified: number;
}

export type VehicleType = 'CAR' | 'BICYCLE' | 'MOTORCYCLE' | 'TRUCK';

export interface Vehicle {
  type: VehicleType;
  description: string | null;
  licensePlate: string | null;
  color: string | null;
}

export interface Worker {
  id: string;
  organization: string;
  name: string;
  phone: string;
  email: string | null;
  teams: string[];
  onDuty: boolean;
  location: [number, number] | null;
  timeLastSeen: number | null;
  activeTask: string | null;
  tasks: string[];
  vehicle: Vehicle | null;
  capacity: number;
  accountStatus: string;
  timeCreated: number;
  timeLastModified: number;
}

export type MessageStatus = 'queued' | 'sent' | 'kept' | 'failed';

export interface OutboxMessage {
  id: string;
  channel: 'email' | 'sms';
  to: string;
  subject: string | null;
  text: string;
  links: string[];
  status: MessageStatus;
  attempts: number;
  lastError: string | null;
  timeCreated: number;
  timeSent: number | null;
}

export interface OutboxPage {
  messages: OutboxMessage[];
  lastId?: string;
}
