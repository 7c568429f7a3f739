import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import type { App } from '../../lib/http.ts';
import { AUTH_ERRORS, errors } from '../../lib/schemas.ts';
import { TokenParams } from '../admins/admins.schemas.ts';
import { replyWithSession } from '../auth/auth.routes.ts';
import { SessionView } from '../auth/auth.schemas.ts';
import { ChangeEmailBody, ChangePasswordBody, EmailConfirmed, PendingEmail } from './account.schemas.ts';
import * as service from './account.service.ts';

export async function accountRoutes(app: App, ctx: AppContext) {
  const tags = ['Account'];
  app.post(
    '/api/v2/account/email',
    {
      schema: {
        tags,
        summary: 'Change your sign-in email (confirmed by a link sent to the new address)',
        body: ChangeEmailBody,
        response: { 202: PendingEmail, ...errors(...AUTH_ERRORS, 409) },
      },
    },
    async (req, reply) => reply.status(202).send(await service.requestEmailChange(ctx, req.principal, req.body.email, req.body.password)),
  );
  app.post(
    '/api/v2/account/password',
    {
      schema: {
        tags,
        summary: 'Change your password (signs out your other sessions)',
        body: ChangePasswordBody,
        response: { 200: Type.Ref(SessionView), ...errors(...AUTH_ERRORS) },
      },
    },
    async (req, reply) => replyWithSession(ctx, reply, await service.changePassword(ctx, req.principal, req.body.currentPassword, req.body.newPassword)),
  );
  app.post(
    '/api/v2/email-confirmations/:token',
    {
      schema: {
        tags,
        summary: 'Apply a pending email change from its confirmation link (public)',
        security: [],
        params: TokenParams,
        response: { 200: EmailConfirmed, ...errors(400, 403, 409, 410) },
      },
    },
    (req) => service.confirmEmail(ctx, req.params.token),
  );
}
