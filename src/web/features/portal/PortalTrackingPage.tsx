import { IconRoute } from '@tabler/icons-react';
import { EmptyState } from '../../components/EmptyState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useSession } from '../../lib/session.tsx';

/** /portal/tracking-page — where the client will brand the page its recipients follow a delivery on. */
export function PortalTrackingPage() {
  const { organization } = useSession();
  return (
    <>
      <PageHeader title="Tracking page" description="The page your recipients open to follow a delivery live." />
      <EmptyState icon={<IconRoute size={28} aria-hidden />} title="Tracking page branding is coming">
        This is where {organization.name} will brand its tracking page: logo, colours, a message and contact details,
        and what recipients may see about the driver. Until then your recipients see your courier’s tracking page.
      </EmptyState>
    </>
  );
}
