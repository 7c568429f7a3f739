/**
 * Every web path the app, the server's emails and the tests link to. One module, used by all three.
 */
export const paths = {
  home: () => '/',
  setup: () => '/setup',
  login: () => '/login',
  forgotPassword: () => '/forgot-password',
  dashboard: () => '/',
  clients: () => '/clients',
  client: (id: string) => `/clients/${encodeURIComponent(id)}`,
  teams: () => '/teams',
  drivers: (teamId?: string) => (teamId ? `/drivers?team=${encodeURIComponent(teamId)}` : '/drivers'),
  settings: (tab?: 'organization' | 'people' | 'api-keys' | 'webhooks' | 'notifications' | 'tracking-page') => (tab ? `/settings/${tab}` : '/settings'),
  outbox: () => '/outbox',
  dispatch: (taskId?: string) => (taskId ? `/dispatch?task=${encodeURIComponent(taskId)}` : '/dispatch'),
  courierOrder: (shortId: string) => `/orders/${encodeURIComponent(shortId)}`,
  courierImportOrders: () => '/orders/import',
  joinOrganization: (token: string) => `/join/${encodeURIComponent(token)}`,
  clientInvitation: (token: string) => `/invite/${encodeURIComponent(token)}`,
  confirmEmail: (token: string) => `/confirm-email/${encodeURIComponent(token)}`,
  resetPassword: (token: string) => `/reset-password/${encodeURIComponent(token)}`,
  driverLogin: (token: string) => `/driver/login/${encodeURIComponent(token)}`,
  driver: () => '/driver',
  driverTask: (id: string) => `/driver/tasks/${encodeURIComponent(id)}`,
  portal: () => '/portal',
  portalOrders: () => '/portal/orders',
  portalNewOrder: () => '/portal/orders/new',
  portalImportOrders: () => '/portal/orders/import',
  portalOrder: (shortId: string) => `/portal/orders/${encodeURIComponent(shortId)}`,
  portalNotifications: () => '/portal/notifications',
  portalTracking: () => '/portal/tracking-page',
  portalSettings: (tab?: 'organization' | 'account' | 'people' | 'api-keys' | 'webhooks') => (tab ? `/portal/settings/${tab}` : '/portal/settings'),
  track: (shortId: string) => `/track/${encodeURIComponent(shortId)}`,
  apiDocs: () => '/api/docs',
} as const;

/** Route patterns (react-router syntax) of the paths above that take a parameter. */
export const pathPatterns = {
  client: '/clients/:id',
  joinOrganization: '/join/:token',
  clientInvitation: '/invite/:token',
  confirmEmail: '/confirm-email/:token',
  resetPassword: '/reset-password/:token',
  driverLogin: '/driver/login/:token',
  driverTask: '/driver/tasks/:id',
  courierOrder: '/orders/:shortId',
  portalOrder: '/portal/orders/:shortId',
  track: '/track/:shortId',
} as const;

export function absoluteUrl(publicUrl: string, path: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${path}`;
}
