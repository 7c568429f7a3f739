import { IconBuildingStore } from '@tabler/icons-react';
import { EmptyState } from '../../components/EmptyState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';

export function ClientsPage() {
  return (
    <>
      <PageHeader title="Clients" description="The businesses you deliver for." />
      <EmptyState icon={<IconBuildingStore size={28} aria-hidden />} title="No clients yet">
        Client invitations are managed here. Soon you will be able to invite a client business, which then books
        deliveries in its own portal and follows them live.
      </EmptyState>
    </>
  );
}
