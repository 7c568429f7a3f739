import { createBrowserRouter, Navigate } from 'react-router';
import { pathPatterns, paths } from '../../shared/paths.ts';
import { NotFoundPage } from '../components/NotFoundPage.tsx';
import { RouteError } from '../components/RouteError.tsx';
import { JoinPage } from '../features/auth/JoinPage.tsx';
import { LoginPage } from '../features/auth/LoginPage.tsx';
import { SetupPage } from '../features/auth/SetupPage.tsx';
import { ClientDetailPage } from '../features/clients/ClientDetailPage.tsx';
import { ClientsPage } from '../features/clients/ClientsPage.tsx';
import { CourierOrderPage } from '../features/dispatch/CourierOrderPage.tsx';
import { DispatchPage } from '../features/dispatch/DispatchPage.tsx';
import { DriverApp } from '../features/driver/DriverApp.tsx';
import { DriverLoginPage } from '../features/driver/DriverLoginPage.tsx';
import { DriverTaskPage } from '../features/driver/DriverTaskPage.tsx';
import { DriverTasksPage } from '../features/driver/DriverTasksPage.tsx';
import { AcceptInvitationPage } from '../features/invitations/AcceptInvitationPage.tsx';
import { ConfirmEmailPage } from '../features/invitations/ConfirmEmailPage.tsx';
import { ForgotPasswordPage } from '../features/auth/ForgotPasswordPage.tsx';
import { ResetPasswordPage } from '../features/auth/ResetPasswordPage.tsx';
import { NewOrderPage } from '../features/orders/NewOrderPage.tsx';
import { ImportOrdersPage } from '../features/imports/ImportOrdersPage.tsx';
import { OrderDetailPage } from '../features/orders/OrderDetailPage.tsx';
import { OrdersPage } from '../features/orders/OrdersPage.tsx';
import { PortalLayout } from '../features/portal/PortalLayout.tsx';
import { CourierNotificationsTab, PortalNotificationsPage } from '../features/notifications/NotificationsPages.tsx';
import { PortalSettingsPage } from '../features/portal/PortalSettingsPage.tsx';
import { CourierTrackingPageTab, PortalTrackingPage } from '../features/tracking/TrackingSettingsPages.tsx';
import { TrackingPage } from '../features/tracking/TrackingPage.tsx';
import { DashboardPage } from '../features/dashboard/DashboardPage.tsx';
import { DriversPage } from '../features/drivers/DriversPage.tsx';
import { OutboxPage } from '../features/outbox/OutboxPage.tsx';
import { ApiKeysTab } from '../features/settings/ApiKeysTab.tsx';
import { OrganizationTab } from '../features/settings/OrganizationTab.tsx';
import { PeopleTab } from '../features/settings/PeopleTab.tsx';
import { SettingsPage } from '../features/settings/SettingsPage.tsx';
import { TeamsPage } from '../features/teams/TeamsPage.tsx';
import { WebhooksTab } from '../features/webhooks/WebhooksTab.tsx';
import { RequireSession } from './RequireSession.tsx';

export function createAppRouter() {
  return createBrowserRouter([
    {
      errorElement: <RouteError />,
      children: [
        { path: paths.setup(), element: <SetupPage /> },
        { path: paths.login(), element: <LoginPage /> },
        { path: pathPatterns.joinOrganization, element: <JoinPage /> },
        { path: pathPatterns.clientInvitation, element: <AcceptInvitationPage /> },
        { path: pathPatterns.confirmEmail, element: <ConfirmEmailPage /> },
        { path: paths.forgotPassword(), element: <ForgotPasswordPage /> },
        { path: pathPatterns.resetPassword, element: <ResetPasswordPage /> },
        { path: pathPatterns.driverLogin, element: <DriverLoginPage /> },
        { path: pathPatterns.track, element: <TrackingPage /> },
        {
          path: paths.driver(),
          element: <DriverApp />,
          children: [
            { index: true, element: <DriverTasksPage /> },
            { path: pathPatterns.driverTask, element: <DriverTaskPage /> },
          ],
        },
        {
          path: paths.portal(),
          element: <PortalLayout />,
          children: [
            { index: true, element: <Navigate to={paths.portalOrders()} replace /> },
            { path: paths.portalOrders(), element: <OrdersPage /> },
            { path: paths.portalNewOrder(), element: <NewOrderPage /> },
            { path: paths.portalImportOrders(), element: <ImportOrdersPage /> },
            { path: pathPatterns.portalOrder, element: <OrderDetailPage /> },
            { path: paths.portalNotifications(), element: <PortalNotificationsPage /> },
            { path: paths.portalTracking(), element: <PortalTrackingPage /> },
            { path: `${paths.portalSettings()}/*`, element: <PortalSettingsPage /> },
          ],
        },
        {
          path: paths.dashboard(),
          element: <RequireSession />,
          children: [
            { index: true, element: <DashboardPage /> },
            { path: paths.clients(), element: <ClientsPage /> },
            { path: pathPatterns.client, element: <ClientDetailPage /> },
            { path: paths.dispatch(), element: <DispatchPage /> },
            { path: paths.courierImportOrders(), element: <ImportOrdersPage /> },
            { path: pathPatterns.courierOrder, element: <CourierOrderPage /> },
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
                { path: paths.settings('webhooks'), element: <WebhooksTab /> },
                { path: paths.settings('notifications'), element: <CourierNotificationsTab /> },
                { path: paths.settings('tracking-page'), element: <CourierTrackingPageTab /> },
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
