import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import type { App } from '../../lib/http.ts';
import { AUTH_ERRORS, errors } from '../../lib/schemas.ts';
import { TokenParams } from '../admins/admins.schemas.ts';
import { replyWithSession } from '../auth/auth.routes.ts';
import { SessionView } from '../auth/auth.schemas.ts';
import { ChangeEmailBody, ChangePasswordBody, EmailConfirmed, ForgotPasswordBody, PendingEmail, ResetPasswordBody, ResetRequested } from './account.schemas.ts';
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
  app.post(
    '/api/v2/password/forgot',
    {
      schema: {
        tags,
        summary: 'Forgotten password: mails a reset link to the account with this email, if there is one (public; the answer is the same either way)',
        security: [],
        body: ForgotPasswordBody,
        response: { 202: ResetRequested, ...errors(400, 429) },
      },
    },
    async (req, reply) => {
      await service.requestPasswordReset(ctx, req.body.email, req.ip);
      return reply.status(202).send({ ok: true as const, message: 'If an account uses this email, a link to choose a new password is on its way. It works for one hour.' });
    },
  );
  app.post(
    '/api/v2/password/reset/:token',
    {
      schema: {
        tags,
        summary: 'Choose a new password with a reset link (public): signs out every session and starts a new one',
        security: [],
        params: TokenParams,
        body: ResetPasswordBody,
        response: { 200: Type.Ref(SessionView), ...errors(400, 410) },
      },
    },
    async (req, reply) => replyWithSession(ctx, reply, await service.resetPassword(ctx, req.params.token, req.body.password)),
  );
}
