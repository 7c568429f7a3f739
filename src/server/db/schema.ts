/**
 * Kysely table types. Times are Unix milliseconds, booleans are 0/1 integers (the same on both
 * dialects), JSON is stored as text and parsed by the repositories.
 */
import type { Generated } from 'kysely';

export type Bool = 0 | 1;

export interface OrganizationTable {
  id: string;
  kind: 'courier' | 'client';
  name: string;
  email: string;
  country: string;
  timezone: string;
  image: string | null;
  /** for client organizations: the courier that serves it */
  courier_id: string | null;
  webhook_secret: string | null;
  time_created: number;
  time_last_modified: number;
}

export interface UserTable {
  id: string;
  organization_id: string;
  email: string;
  /** lower-cased email, unique among users */
  email_key: string;
  name: string;
  phone: string | null;
  password_hash: string | null;
  /** owner | super | standard (courier) ; owner | super (client) */
  role: string;
  is_read_only: Bool;
  /** invited | active | deactivated | removed */
  status: string;
  time_created: number;
  time_last_modified: number;
  time_last_sign_in: number | null;
}

export interface SessionTable {
  token_hash: string;
  kind: 'user' | 'driver';
  user_id: string | null;
  worker_id: string | null;
  organization_id: string;
  time_created: number;
  expires_at: number;
}

/** Consecutive failed sign-ins per email address (SHA-256 of the lower-cased address). */
export interface SignInFailureTable {
  key_hash: string;
  failures: number;
  /** Unix ms; 0 when not locked */
  locked_until: number;
  time_last_failure: number;
}

export interface ApiKeyTable {
  id: string;
  organization_id: string;
  name: string;
  key_hash: string;
  /** first characters of the key, shown so a person can tell keys apart */
  key_prefix: string;
  created_by: string | null;
  time_created: number;
  time_last_used: number | null;
  time_revoked: number | null;
}

export interface TokenTable {
  token_hash: string;
  /** admin_invite | client_invite | email_confirm | password_reset | driver_login */
  purpose: string;
  organization_id: string;
  subject_id: string;
  data: string | null;
  time_created: number;
  expires_at: number;
  time_used: number | null;
  time_voided: number | null;
}

export interface TeamTable {
  id: string;
  organization_id: string;
  name: string;
  /** JSON: {address, location} or null */
  hub: string | null;
  enable_self_assignment: Bool;
  time_created: number;
  time_last_modified: number;
}

export interface TeamManagerTable {
  team_id: string;
  user_id: string;
  organization_id: string;
}

export interface WorkerTable {
  id: string;
  organization_id: string;
  name: string;
  phone: string;
  email: string | null;
  on_duty: Bool;
  location_lng: number | null;
  location_lat: number | null;
  time_last_seen: number | null;
  vehicle_type: string | null;
  vehicle_description: string | null;
  vehicle_license_plate: string | null;
  vehicle_color: string | null;
  /** units the driver can carry at once (task quantities); 0 = no limit */
  capacity: number;
  /** where the driver's routes may end (route optimisation), [lng, lat] and the address as text */
  routing_lng: number | null;
  routing_lat: number | null;
  routing_address: string | null;
  account_status: string;
  /** JSON metadata array */
  metadata: string;
  time_created: number;
  time_last_modified: number;
}

export interface WorkerTeamTable {
  worker_id: string;
  team_id: string;
  organization_id: string;
}

export interface MessageTable {
  id: string;
  organization_id: string | null;
  channel: 'email' | 'sms';
  to_address: string;
  subject: string | null;
  body_text: string;
  body_html: string | null;
  /** queued | sent | kept (local outbox, no transport configured) | failed */
  status: string;
  attempts: number;
  last_error: string | null;
  next_attempt_at: number;
  time_created: number;
  time_sent: number | null;
  /** for recipient notifications: the task, its merchant, the rule and trigger that sent it */
  task_id: string | null;
  merchant_id: string | null;
  rule_id: string | null;
  trigger: string | null;
}

export interface NotificationRuleTable {
  id: string;
  organization_id: string;
  trigger: string;
  applies_to: 'both' | 'pickup' | 'dropoff';
  /** comma-separated: sms,email */
  channels: string;
  template: string;
  subject: string | null;
  threshold: number | null;
  enabled: number;
  time_created: number;
  time_last_modified: number;
}

export interface NotificationSendTable {
  rule_id: string;
  task_id: string;
  time_created: number;
}

export interface WebhookTable {
  id: string;
  organization_id: string;
  name: string;
  url: string;
  trigger_id: number;
  threshold: number | null;
  enabled: number;
  disabled_reason: string | null;
  time_created: number;
  time_last_modified: number;
}

export interface WebhookDeliveryTable {
  id: string;
  webhook_id: string;
  organization_id: string;
  event_key: string;
  trigger_id: number;
  subject_id: string | null;
  body: string;
  /** pending | delivered | failed */
  status: string;
  attempts: number;
  next_attempt_at: number;
  /** retries continue until this plus the retry window */
  window_started_at: number;
  last_status_code: number | null;
  last_error: string | null;
  time_created: number;
  time_delivered: number | null;
}

export interface WebhookAttemptTable {
  id: string;
  delivery_id: string;
  attempt: number;
  time: number;
  status_code: number | null;
  latency_ms: number;
  response_excerpt: string | null;
  error: string | null;
}

export interface IdempotencyKeyTable {
  /** the caller: organization and API key, user or driver */
  scope: string;
  key: string;
  request_hash: string;
  /** null while the first request is still being answered */
  status_code: number | null;
  content_type: string | null;
  body: string | null;
  time_created: number;
}

export interface JobTable {
  id: string;
  organization_id: string;
  /** tasks.batch | orders.import */
  kind: string;
  /** pending | processing | completed | completedWithErrors */
  status: string;
  total: number;
  processed: number;
  succeeded: number;
  failed: number;
  /** JSON: the items to process */
  input: string;
  /** JSON: one result per processed item */
  results: string;
  /** JSON: the caller the job acts for */
  principal: string;
  /** a running job is claimed until then; an instance that died lets it go */
  lease_until: number;
  /** JSON: what a running job last reported (e.g. a route optimisation's best solution so far), or null */
  progress: string | null;
  time_created: number;
  time_started: number | null;
  time_finished: number | null;
}

export interface OrderImportKeyTable {
  client_org_id: string;
  key: string;
  order_id: string;
  order_short_id: string;
  time_created: number;
}

export interface TrackingPageTable {
  organization_id: string;
  /** JSON of the tracking page settings the organization changed */
  settings: string;
  time_last_modified: number;
}

export interface EventTable {
  seq: Generated<number>;
  id: string;
  organization_id: string;
  type: string;
  subject_id: string;
  /** JSON */
  payload: string;
  time_created: number;
  /** for task and order events: the client organization that may see it */
  merchant_id: string | null;
  /** for task and worker events: the driver that may see it */
  worker_id: string | null;
}

export interface AuditTable {
  id: string;
  organization_id: string;
  actor_id: string | null;
  actor_label: string;
  action: string;
  subject_type: string;
  subject_id: string;
  /** JSON */
  data: string | null;
  time_created: number;
}

export interface UploadTable {
  id: string;
  organization_id: string;
  kind: string;
  content_type: string;
  size: number;
  storage_key: string;
  time_created: number;
}

export interface ClientTable {
  id: string;
  courier_id: string;
  /** the client's own organization, once the invitation is accepted */
  organization_id: string | null;
  name: string;
  email: string;
  email_key: string;
  pending_email: string | null;
  /** pending | invited | active | deleted */
  status: string;
  auto_assign_team_id: string | null;
  time_created: number;
  time_last_modified: number;
  time_invited: number | null;
  invitation_expires_at: number | null;
  time_accepted: number | null;
  time_deleted: number | null;
}

export interface TaskTable {
  id: string;
  short_id: string;
  /** the organization that owns and fulfils the task (the courier) */
  organization_id: string;
  merchant_id: string;
  executor_id: string;
  creator_id: string | null;
  order_id: string | null;
  order_short_id: string | null;
  pickup_task: Bool;
  state: number;
  container_type: 'ORGANIZATION' | 'TEAM' | 'WORKER';
  container_id: string;
  worker_id: string | null;
  worker_position: number | null;
  complete_after: number | null;
  complete_before: number | null;
  /** JSON {id, address, notes, warnings} */
  destination: string;
  location_lng: number | null;
  location_lat: number | null;
  /** the address as one line, for search */
  address_text: string;
  /** JSON array */
  recipients: string;
  recipient_name: string | null;
  notes: string;
  quantity: number;
  service_time: number;
  metadata: string;
  requirements: string;
  /** JSON completionDetails once completed */
  completion: string | null;
  completion_success: Bool | null;
  feedback: string;
  tracking_viewed: Bool;
  eta: number | null;
  time_started: number | null;
  time_completed: number | null;
  time_created: number;
  time_last_modified: number;
  geocode_attempts: Generated<number>;
  /** when to try geocoding the address next; null when it has coordinates or gave up */
  geocode_next_at: number | null;
}

export interface TaskDependencyTable {
  task_id: string;
  depends_on_id: string;
}

export interface OrderTable {
  id: string;
  short_id: string;
  courier_id: string;
  /** the courier's client record */
  client_id: string;
  /** the client organization (merchant of both tasks) */
  client_org_id: string;
  pickup_task_id: string;
  dropoff_task_id: string;
  /** unassigned | assigned | in_progress | completed | failed | cancelled | rejected */
  status: string;
  metadata: string;
  /** lower-cased order id, addresses and recipient, for search */
  search_text: string;
  /** JSON {reasons, time, by} */
  rejection: string | null;
  created_by: string | null;
  time_created: number;
  time_last_modified: number;
}

export interface Database {
  tasks: TaskTable;
  task_dependencies: TaskDependencyTable;
  orders: OrderTable;
  clients: ClientTable;
  organizations: OrganizationTable;
  users: UserTable;
  sessions: SessionTable;
  sign_in_failures: SignInFailureTable;
  api_keys: ApiKeyTable;
  tokens: TokenTable;
  teams: TeamTable;
  team_managers: TeamManagerTable;
  workers: WorkerTable;
  worker_teams: WorkerTeamTable;
  messages: MessageTable;
  notification_rules: NotificationRuleTable;
  notification_sends: NotificationSendTable;
  tracking_pages: TrackingPageTable;
  idempotency_keys: IdempotencyKeyTable;
  jobs: JobTable;
  order_import_keys: OrderImportKeyTable;
  webhooks: WebhookTable;
  webhook_deliveries: WebhookDeliveryTable;
  webhook_attempts: WebhookAttemptTable;
  events: EventTable;
  audit_log: AuditTable;
  uploads: UploadTable;
}
