import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { queryKeys } from '../../../lib/query-keys.ts';

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete('/api/v2/session'),
    onSuccess: () => {
      queryClient.clear();
      queryClient.setQueryData(queryKeys.setup, { needed: false });
      queryClient.setQueryData(queryKeys.session, null);
    },
  });
}
