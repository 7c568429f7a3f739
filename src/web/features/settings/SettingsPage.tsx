import { Tabs } from '@mantine/core';
import { IconBell, IconBuilding, IconKey, IconRoute, IconUsers, IconWebhook } from '@tabler/icons-react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { paths } from '../../../shared/paths.ts';
import { PageHeader } from '../../components/PageHeader.tsx';

type Tab = 'organization' | 'people' | 'api-keys' | 'webhooks' | 'notifications' | 'tracking-page';

const TABS: { value: Tab; label: string; icon: typeof IconBuilding }[] = [
  { value: 'organization', label: 'Organization', icon: IconBuilding },
  { value: 'people', label: 'People', icon: IconUsers },
  { value: 'api-keys', label: 'API keys', icon: IconKey },
  { value: 'webhooks', label: 'Webhooks', icon: IconWebhook },
  { value: 'notifications', label: 'Notifications', icon: IconBell },
  { value: 'tracking-page', label: 'Tracking page', icon: IconRoute },
];

export function SettingsPage() {
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const active = TABS.find((t) => pathname === paths.settings(t.value))?.value ?? null;
  // /settings itself only redirects to the first tab.
  if (!active) return <Outlet />;

  return (
    <>
      <PageHeader title="Settings" description="Your organization, the people who use the dashboard, API access, and what recipients receive and see." />
      <Tabs value={active} onChange={(v) => v && navigate(paths.settings(v as Tab))} keepMounted={false}>
        <Tabs.List mb="lg">
          {TABS.map((t) => (
            <Tabs.Tab key={t.value} value={t.value} leftSection={<t.icon size={16} aria-hidden />}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {TABS.map((t) => (
          <Tabs.Panel key={t.value} value={t.value}>
            <Outlet />
          </Tabs.Panel>
        ))}
      </Tabs>
    </>
  );
}
