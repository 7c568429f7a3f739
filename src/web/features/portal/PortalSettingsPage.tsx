import { Tabs } from '@mantine/core';
import { IconBuilding, IconKey, IconUserCircle, IconUsers, IconWebhook } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { paths } from '../../../shared/paths.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ApiKeysTab } from '../settings/ApiKeysTab.tsx';
import { WebhooksTab } from '../webhooks/WebhooksTab.tsx';
import { PortalAccountTab } from './settings/PortalAccountTab.tsx';
import { PortalOrganizationTab } from './settings/PortalOrganizationTab.tsx';
import { PortalPeopleTab } from './settings/PortalPeopleTab.tsx';

type Tab = 'organization' | 'account' | 'people' | 'api-keys' | 'webhooks';

const TABS: { value: Tab; label: string; icon: typeof IconBuilding; panel: () => ReactNode }[] = [
  { value: 'organization', label: 'Organization', icon: IconBuilding, panel: () => <PortalOrganizationTab /> },
  { value: 'account', label: 'Your account', icon: IconUserCircle, panel: () => <PortalAccountTab /> },
  { value: 'people', label: 'People', icon: IconUsers, panel: () => <PortalPeopleTab /> },
  { value: 'api-keys', label: 'API keys', icon: IconKey, panel: () => <ApiKeysTab /> },
  { value: 'webhooks', label: 'Webhooks', icon: IconWebhook, panel: () => <WebhooksTab /> },
];

/** /portal/settings/<tab> — the client organization, your own account, its people and API keys. */
export function PortalSettingsPage() {
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const active = TABS.find((t) => pathname === paths.portalSettings(t.value))?.value ?? null;
  if (!active) return <Navigate to={paths.portalSettings('organization')} replace />;

  return (
    <>
      <PageHeader title="Settings" description="Your organization, your own sign-in, the people who use this portal, and API access." />
      <Tabs value={active} onChange={(v) => v && navigate(paths.portalSettings(v as Tab))} keepMounted={false}>
        <Tabs.List mb="lg">
          {TABS.map((t) => (
            <Tabs.Tab key={t.value} value={t.value} leftSection={<t.icon size={16} aria-hidden />}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {TABS.map((t) => (
          <Tabs.Panel key={t.value} value={t.value}>
            {t.value === active ? t.panel() : null}
          </Tabs.Panel>
        ))}
      </Tabs>
    </>
  );
}
