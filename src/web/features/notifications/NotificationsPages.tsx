import { Stack, Tabs, Text } from '@mantine/core';
import { IconHistory, IconMessageCircle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../components/PageHeader.tsx';
import { MessageLog } from './MessageLog.tsx';
import { RulesSection } from './RulesSection.tsx';

type View = 'messages' | 'log';

/** The messages (rules) and what they sent, as two tabs; the tab lives in the address (?view=log). */
function NotificationsView({ intro }: { intro?: ReactNode }) {
  const [params, setParams] = useSearchParams();
  const view: View = params.get('view') === 'log' ? 'log' : 'messages';

  const setView = (next: string | null) => {
    const p = new URLSearchParams(params);
    if (next === 'log') p.set('view', 'log');
    else p.delete('view');
    setParams(p, { replace: true });
  };

  return (
    <Stack gap="md">
      {intro}
      {/* keepMounted off: the log reads every 10 s only while its tab is shown */}
      <Tabs value={view} onChange={setView} keepMounted={false} variant="pills" radius="md">
        <Tabs.List mb="lg">
          <Tabs.Tab value="messages" leftSection={<IconMessageCircle size={16} aria-hidden />}>
            Messages
          </Tabs.Tab>
          <Tabs.Tab value="log" leftSection={<IconHistory size={16} aria-hidden />}>
            Message log
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="messages">
          <RulesSection />
        </Tabs.Panel>
        <Tabs.Panel value="log">
          <MessageLog />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

/** /portal/notifications: the client's own messages (or its courier's defaults) and what was sent. */
export function PortalNotificationsPage() {
  return (
    <>
      <PageHeader
        title="Notifications"
        description="The text messages and emails the recipients of your orders get about their deliveries, and a log of what was sent."
      />
      <NotificationsView />
    </>
  );
}

/** Settings → Notifications: the courier's messages, the defaults for its clients. */
export function CourierNotificationsTab() {
  return (
    <NotificationsView
      intro={
        <Text size="sm" c="dimmed" maw={720}>
          The text messages and emails recipients get about their deliveries. These are the defaults for every client
          that has written none of its own, and they also apply to your own tasks (those that no client ordered).
        </Text>
      }
    />
  );
}
