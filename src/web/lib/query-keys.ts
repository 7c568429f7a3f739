/**
 * Every TanStack Query key the app uses, one entry per area, so that a mutation in one
 * feature can invalidate what another feature shows (a new driver changes a team's drivers).
 */
export const queryKeys = {
  setup: ['setup'] as const,
  session: ['session'] as const,
  invitation: (token: string) => ['admin-invitation', token] as const,
  organization: ['organization'] as const,
  teams: ['teams'] as const,
  workers: ['workers'] as const,
  admins: ['admins'] as const,
  apiKeys: ['api-keys'] as const,
  outbox: ['outbox'] as const,
  /** the driver app: the signed-in driver, and its own open tasks */
  driverMe: ['driver', 'me'] as const,
  driverTasks: ['driver', 'tasks'] as const,
  /** every client query of the courier (lists, one client, its activity and orders) */
  clients: ['clients'] as const,
  clientList: (filters: { status: string | null; q: string }) => ['clients', 'list', filters] as const,
  client: (id: string) => ['clients', 'one', id] as const,
  clientAudit: (id: string) => ['clients', 'audit', id] as const,
  clientOrders: (id: string) => ['clients', 'orders', id] as const,
  clientInvitation: (token: string) => ['client-invitation', token] as const,
  appConfig: ['app-config'] as const,
  /** every order query: lists and single orders */
  orders: ['orders'] as const,
  orderList: (filters: object) => ['orders', 'list', filters] as const,
  order: (shortId: string) => ['orders', 'one', shortId] as const,
  /** every task query: dispatch lists, single tasks and drivers' routes */
  tasks: ['tasks'] as const,
  taskList: (filters: object) => ['tasks', 'list', filters] as const,
  task: (id: string) => ['tasks', 'one', id] as const,
  taskHistory: (id: string) => ['tasks', 'history', id] as const,
  workerRoute: (workerId: string) => ['tasks', 'route', workerId] as const,
  /** all of the courier's clients, for names and filters in dispatch */
  clientDirectory: ['clients', 'directory'] as const,
  /** the courier's active clients, whom orders can be imported for */
  activeClients: ['clients', 'active'] as const,
  /** CSV imports of orders: file previews and import jobs */
  imports: ['imports'] as const,
  importPreview: (input: object) => ['imports', 'preview', input] as const,
  importJob: (jobId: string) => ['imports', 'job', jobId] as const,
  /** the public tracking page of a task, and the organization's tracking page settings */
  tracking: ['tracking'] as const,
  trackingPublic: (shortId: string) => ['tracking', 'public', shortId] as const,
  trackingPage: ['tracking', 'settings'] as const,
  /** recipient notifications: the rules, template previews and the message log */
  notifications: ['notifications'] as const,
  notificationRules: ['notifications', 'rules'] as const,
  notificationPreview: (input: object) => ['notifications', 'preview', input] as const,
  notificationLog: ['notifications', 'log'] as const,
  /** webhooks: the organization's list and each webhook's delivery log */
  webhooks: ['webhooks'] as const,
  webhookList: ['webhooks', 'list'] as const,
  webhookDeliveries: (id: string) => ['webhooks', 'deliveries', id] as const,
};
