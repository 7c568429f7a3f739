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
};
