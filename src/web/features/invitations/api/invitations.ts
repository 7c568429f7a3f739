import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, apiPath, isApiError } from '../../../lib/api.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import type { ClientInvitation, EmailConfirmation, LinkUnusableReason, Session } from '../../../lib/types.ts';

const REASONS: LinkUnusableReason[] = ['used', 'expired', 'voided', 'unknown', 'deleted'];

/**
 * Why a link can no longer be used, from the server's 410 answer (cause.reason); a malformed
 * token (400) or one the server does not know (404) counts as unknown. Null for other errors.
 */
export function unusableReason(error: unknown): LinkUnusableReason | null {
  if (isApiError(error, 410)) {
    const reason = (error.cause as { reason?: unknown } | null)?.reason;
    return REASONS.includes(reason as LinkUnusableReason) ? (reason as LinkUnusableReason) : 'unknown';
  }
  if (isApiError(error, 400) || isApiError(error, 404)) return 'unknown';
  return null;
}

export const clientInvitationQuery = (token: string) =>
  queryOptions({
    queryKey: queryKeys.clientInvitation(token),
    queryFn: ({ signal }) => api.get<ClientInvitation>(apiPath('/api/v2/invitations', token), { signal }),
    retry: false,
    staleTime: Infinity,
  });

export interface AcceptClientInvitationInput {
  name: string;
  password: string;
  organizationName?: string;
}

/** Creates the client organization and its first person, and signs them in. */
export function useAcceptClientInvitation(token: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: AcceptClientInvitationInput) => api.post<Session>(`${apiPath('/api/v2/invitations', token)}/accept`, input),
    onSuccess: (session) => {
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== queryKeys.session[0] });
      queryClient.setQueryData(queryKeys.session, session);
    },
  });
}

/** Applies a pending email change from the link mailed to the new address. */
export function useConfirmEmail(token: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<EmailConfirmation>(apiPath('/api/v2/email-confirmations', token)),
    // Whoever is signed in here may be the person whose address changed.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.session }),
  });
}
