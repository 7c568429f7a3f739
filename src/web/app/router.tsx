import { createBrowserRouter, Navigate } from 'react-router';
import { pathPatterns, paths } from '../../shared/paths.ts';
import { NotFoundPage } from '../components/NotFoundPage.tsx';
import { RouteError } from '../components/RouteError.tsx';
import { JoinPage } from '../features/auth/JoinPage.tsx';
import { LoginPage } from '../features/auth/LoginPage.tsx';
import { SetupPage } from '../features/auth/SetupPage.tsx';
import { ClientsPage } from '../features/clients/ClientsPage.tsx';
import { DashboardPage } from '../features/dashboard/DashboardPage.tsx';
import { DriversPage } from '../features/drivers/DriversPage.tsx';
import { OutboxPage } from '../features/outbox/OutboxPage.tsx';
import { ApiKeysTab } from '../features/settings/ApiKeysTab.tsx';
import { OrganizationTab } from '../features/settings/OrganizationTab.tsx';
import { PeopleTab } from '../features/settings/PeopleTab.tsx';
import { SettingsPage } from '../features/settings/SettingsPage.tsx';
import { TeamsPage } from '../features/teams/TeamsPage.tsx';
import { RequireSession } from './RequireSession.tsx';

export function createAppRouter() {
  return createBrowserRouter([
    {
      errorElement: <RouteError />,
      children: [
        { path: paths.setup(), element: <SetupPage /> },
        { path: paths.login(), element: <LoginPage /> },
        { path: pathPatterns.joinOrganization, element: <JoinPage /> },
        {
          path: paths.dashboard(),
          element: <RequireSession />,
          children: [
            { index: true, element: <DashboardPage /> },
            { path: paths.clients(), element: <ClientsPage /> },
            { path: paths.teams(), element: <TeamsPage /> },
            { path: paths.drivers(), element: <DriversPage /> },
            {
              path: paths.settings(),
              element: <SettingsPage />,
              children: [
                { index: true, element: <Navigate to={paths.settings('organization')} replace /> },
                { path: paths.settings('organization'), element: <OrganizationTab /> },
                { path: paths.settings('people'), element: <PeopleTab /> },
                { path: paths.settings('api-keys'), element: <ApiKeysTab /> },
              ],
            },
            { path: paths.outbox(), element: <OutboxPage /> },
          ],
        },
        { path: '*', element: <NotFoundPage /> },
      ],
    },
  ]);
}
