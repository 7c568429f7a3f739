import { IconBell } from '@tabler/icons-react';
import { EmptyState } from '../../components/EmptyState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useSession } from '../../lib/session.tsx';

/** /portal/notifications — where the client will customize the messages its recipients get. */
export function PortalNotificationsPage() {
  const { organization } = useSession();
  return (
    <>
      <PageHeader title="Notifications" description="The text messages and emails your recipients get about their deliveries." />
      <EmptyState icon={<IconBell size={28} aria-hidden />} title="Custom recipient notifications are coming">
        This is where {organization.name} will write its own messages, for example when a driver sets off or is about to
        arrive, and choose whether they go by text message or email. Until then your recipients get your courier’s
        standard notifications.
      </EmptyState>
    </>
  );
}
