import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import type { AppContext } from '../../context.ts';
import { unauthenticated } from '../../lib/errors.ts';
import { sendEmpty, type App } from '../../lib/http.ts';
import { AUTH_ERRORS, Empty, errors } from '../../lib/schemas.ts';
import { SESSION_COOKIE, sessionCookieOptions } from '../../plugins/auth.ts';
import * as service from './auth.service.ts';
import { AuthTestResponse, SessionView, SetupBody, SignInBody } from './auth.schemas.ts';
import type { Principal } from './principal.ts';

/** Sets the session cookie for a new session and answers with the session view. */
export async function replyWithSession(ctx: AppContext, reply: FastifyReply, session: service.NewSession, status = 200) {
  const p: Principal | null = await service.resolveSession(ctx, session.token);
  if (!p) throw unauthenticated();
  reply.setCookie(SESSION_COOKIE, session.token, sessionCookieOptions(ctx, session.expiresAt));
  return reply.status(status).send(await service.currentSession(ctx, p));
}

export async function authRoutes(app: App, ctx: AppContext) {
  app.addSchema(SessionView);

  app.get(
    '/api/v2/auth/test',
    {
      schema: {
        tags: ['Auth'],
        summary: 'Check an API key',
        response: { 200: AuthTestResponse, ...errors(401, 429) },
      },
    },
    async (req) => {
      if (!req.principal) throw unauthenticated();
      return { message: `Hello organization '${req.principal.organizationId}' hitting Baton from ${req.ip}` };
    },
  );

  app.get(
    '/api/v2/setup',
    {
      schema: {
        tags: ['Auth'],
        summary: 'Whether first-run set-up is needed',
        security: [],
        response: { 200: Type.Object({ needed: Type.Boolean() }) },
      },
    },
    async () => ({ needed: await service.setupNeeded(ctx) }),
  );

  app.post(
    '/api/v2/setup',
    {
      schema: {
        tags: ['Auth'],
        summary: 'Create the courier organization and its owner (first run only)',
        security: [],
        body: SetupBody,
        response: { 201: Type.Ref(SessionView), ...errors(400, 403, 409, 413, 415) },
      },
    },
    async (req, reply) => {
      const r = await service.setup(ctx, req.body);
      return replyWithSession(ctx, reply, r.session, 201);
    },
  );

  app.get(
    '/api/v2/session',
    {
      schema: {
        tags: ['Auth'],
        summary: 'The signed-in account',
        response: { 200: Type.Ref(SessionView), ...errors(401) },
      },
    },
    async (req) => {
      if (!req.principal) throw unauthenticated('You are not signed in.');
      const view = await service.currentSession(ctx, req.principal);
      if (!view) throw unauthenticated('You are not signed in.');
      return view;
    },
  );

  app.post(
    '/api/v2/session',
    {
      schema: {
        tags: ['Auth'],
        summary: 'Sign in with email and password (sets the session cookie)',
        security: [],
        body: SignInBody,
        response: { 200: Type.Ref(SessionView), ...errors(400, 401, 403, 429) },
      },
    },
    async (req, reply) => {
      // A new session on every sign-in; an earlier cookie's session ends.
      if (req.cookieSession) await service.endSession(ctx, req.cookieSession);
      const r = await service.signIn(ctx, req.body.email, req.body.password, req.ip);
      return replyWithSession(ctx, reply, r.session);
    },
  );

  app.delete(
    '/api/v2/session',
    {
      schema: {
        tags: ['Auth'],
        summary: 'Sign out (ends the session of the cookie or Bearer token sent, if any)',
        security: [],
        response: { 200: Empty, ...errors(...AUTH_ERRORS) },
      },
    },
    async (req, reply) => {
      if (req.cookieSession) await service.endSession(ctx, req.cookieSession);
      else if (req.principal?.via === 'session' && req.headers.authorization) {
        await service.endSession(ctx, req.headers.authorization.replace(/^bearer\s+/i, ''));
      }
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return sendEmpty(reply);
    },
  );
}

