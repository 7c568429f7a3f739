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
  /** where the team's routes start and end by default (route optimisation) */
  hubLocation?: { location: [number, number]; address: string } | null;
  enableSelfAssignment: boolean;
  /** its queue: unassigned tasks in the team's container */
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

/** Task states (Onfleet's): 0 unassigned, 1 assigned to a driver, 2 active (started), 3 completed. */
export type TaskStateNumber = 0 | 1 | 2 | 3;

export interface TaskAddress {
  number: string;
  street: string;
  apartment: string;
  city: string;
  state: string;
  postalCode: string;
  country: string;
  name: string;
  unparsed: string;
}

export interface TaskDestination {
  id: string;
  address: TaskAddress;
  /** [longitude, latitude], or null until the address is geocoded */
  location: [number, number] | null;
  notes: string;
  warnings: string[];
}

export interface TaskRecipient {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
  notes: string;
  skipSMSNotifications: boolean;
}

export type FailureReason = 'NONE' | 'CUSTOMER_NOT_AVAILABLE' | 'WRONG_ADDRESS' | 'REFUSED_DELIVERY' | 'DAMAGED' | 'OTHER';

export interface TaskCompletionDetails {
  success: boolean | null;
  time: number | null;
  notes: string;
  failureReason: string;
  events: { name: string; time: number; location: [number, number] | null }[];
  photoUploadIds: string[];
  photoUploadId: string | null;
  signatureUploadId: string | null;
}

export interface Task {
  id: string;
  shortId: string;
  trackingURL: string;
  organization: string;
  merchant: string;
  executor: string;
  creator: string | null;
  state: TaskStateNumber;
  pickupTask: boolean;
  dependencies: string[];
  orderShortId: string | null;
  completeAfter: number | null;
  completeBefore: number | null;
  container: { type: 'ORGANIZATION' | 'TEAM' | 'WORKER'; organization?: string; team?: string; worker?: string };
  worker: string | null;
  destination: TaskDestination;
  recipients: TaskRecipient[];
  notes: string;
  quantity: number;
  serviceTime: number;
  requirements: { signature: boolean; photo: boolean; notes: boolean; minimumAge: number };
  completionDetails: TaskCompletionDetails;
  /** the recipient's rating from the tracking page (at most one) */
  feedback: { rating: number; comments: string; time: number }[];
  /** the recipient opened the tracking page */
  trackingViewed: boolean;
  timeCreated: number;
  timeLastModified: number;
}

/** GET /api/v2/driver/me */
export interface DriverMe {
  worker: Worker;
  organization: { id: string; name: string };
}

/** For a client organization's people: the courier that serves it. */
export interface SessionCourier {
  id: string;
  name: string;
  image: string | null;
}

/** GET /api/v2/session also carries these (additive to Session above). */
export interface SessionExtras {
  workerId?: string | null;
  /** set for client organizations: the courier that serves them */
  courier?: SessionCourier | null;
}

export type ClientStatus = 'pending' | 'invited' | 'active' | 'deleted';

/** A courier's client, as the courier sees it. */
export interface Client {
  id: string;
  name: string;
  email: string;
  /** a new address waiting for the client's confirmation */
  pendingEmail: string | null;
  status: ClientStatus;
  /** the client organization, once the invitation was accepted */
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

export interface ClientsPage {
  clients: Client[];
  lastId?: string;
}

export interface AuditEntry {
  id: string;
  actor: { id: string | null; label: string };
  action: string;
  data: unknown;
  time: number;
}

/** What a client invitation link shows before it is accepted (public). */
export interface ClientInvitation {
  courierName: string;
  courierLogo: string | null;
  clientName: string;
  email: string;
  status: ClientStatus;
  expiresAt: number;
}

/** Why a link (invitation, email confirmation) can no longer be used: the 410 answer's cause.reason. */
export type LinkUnusableReason = 'used' | 'expired' | 'voided' | 'unknown' | 'deleted';

export interface EmailConfirmation {
  kind: 'client' | 'user';
  email: string;
}

export interface PendingEmailChange {
  pendingEmail: string;
  expiresAt: number;
}

/** A task with the fields the dispatch and order views read beyond the driver app's. */
export type TaskWithEta = Task & {
  metadata: unknown[];
  /** estimated arrival (ms), when known */
  eta: number | null;
  /** seconds past completeBefore, while open */
  delayTime: number | null;
};

/** GET /api/v2/tasks/all: at most 64 tasks a page, oldest first. */
export interface TaskPage {
  tasks: TaskWithEta[];
  lastId?: string;
}

/** A driver's ordered task list (GET/PUT /api/v2/containers/workers/:id). */
export interface WorkerContainer {
  id: string;
  type: 'WORKER';
  worker?: string;
  tasks: string[];
  activeTask: string | null;
  timeLastModified: number;
}

export type OrderStatus = 'unassigned' | 'assigned' | 'in_progress' | 'completed' | 'failed' | 'cancelled' | 'rejected';

export interface OrderMetadata {
  name: string;
  type: string;
  value: unknown;
}

/** A client's delivery order: a pickup task and a dropoff task that depends on it. */
export interface Order {
  id: string;
  shortId: string;
  /** the courier's client record */
  client: string;
  clientName: string;
  /** the client organization */
  merchant: string;
  status: OrderStatus;
  pickupTask: TaskWithEta;
  dropoffTask: TaskWithEta;
  metadata: OrderMetadata[];
  rejection: { reasons: string[]; time: number } | null;
  trackingURL: string;
  timeCreated: number;
  timeLastModified: number;
}

export interface OrderPage {
  orders: Order[];
  lastId?: string;
}

/** GET /api/v2/app-config (public) */
export interface AppConfig {
  publicUrl: string;
  mapTiles: { url: string; attribution: string };
}
