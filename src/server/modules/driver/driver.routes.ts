import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { invalid } from '../../lib/errors.ts';
import type { App } from '../../lib/http.ts';
import { AUTH_ERRORS, Body, errors, IdParams } from '../../lib/schemas.ts';
import { SESSION_COOKIE, sessionCookieOptions } from '../../plugins/auth.ts';
import { LngLat } from '../tasks/tasks.schemas.ts';
import { MAX_IMAGE_BYTES } from '../uploads/uploads.service.ts';
import * as service from './driver.service.ts';

export async function driverRoutes(app: App, ctx: AppContext) {
  const tags = ['Driver app'];
  app.post(
    '/api/v2/workers/:id/loginLink',
    {
      schema: {
        tags,
        summary: 'A one-time sign-in link for a driver (30 minutes), optionally sent by SMS or email',
        params: IdParams,
        body: Type.Optional(Body({ send: Type.Optional(Type.Union([Type.Literal('sms'), Type.Literal('email')])) })),
        response: { 200: Type.Object({ url: Type.String(), expiresAt: Type.Number() }), ...errors(...AUTH_ERRORS, 404) },
      },
      // The body is optional: a bare POST just asks for the link.
      preValidation: async (req) => {
        if (req.body == null) req.body = {};
      },
    },
    (req) => service.createLoginLink(ctx, req.principal, req.params.id, req.body?.send),
  );
  app.post(
    '/api/v2/driver/session',
    {
      schema: {
        tags,
        summary: 'Exchange a sign-in link token for a driver session (cookie, and a token for Bearer use)',
        security: [],
        body: Body({ token: Type.String({ minLength: 10, maxLength: 100 }) }),
        response: { 200: Type.Object({ sessionToken: Type.String(), expiresAt: Type.Number() }), ...errors(400, 403, 410) },
      },
    },
    async (req, reply) => {
      const s = await service.startDriverSession(ctx, req.body.token);
      reply.setCookie(SESSION_COOKIE, s.token, sessionCookieOptions(ctx, s.expiresAt));
      return { sessionToken: s.token, expiresAt: s.expiresAt };
    },
  );
  app.get(
    '/api/v2/driver/me',
    { schema: { tags, summary: 'The signed-in driver', response: { 200: Type.Object({ worker: Type.Ref('Worker'), organization: Type.Object({ id: Type.String(), name: Type.String() }) }), ...errors(...AUTH_ERRORS) } } },
    (req) => service.me(ctx, req.principal),
  );
  app.put(
    '/api/v2/driver/duty',
    { schema: { tags, summary: 'Go on or off duty', body: Body({ onDuty: Type.Boolean() }), response: { 200: Type.Ref('Worker'), ...errors(...AUTH_ERRORS, 409) } } },
    (req) => service.setDuty(ctx, req.principal, req.body.onDuty),
  );
  app.post(
    '/api/v2/driver/location',
    {
      schema: {
        tags,
        summary: "Report the driver's position",
        body: Body({ location: LngLat, accuracy: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000 })), time: Type.Optional(Type.Integer({ minimum: 0 })) }),
        response: { 200: Type.Object({ ok: Type.Literal(true) }), ...errors(...AUTH_ERRORS) },
      },
    },
    (req) => service.reportLocation(ctx, req.principal, req.body),
  );
  app.get(
    '/api/v2/driver/tasks',
    { schema: { tags, summary: "The driver's open tasks, in order", response: { 200: Type.Object({ tasks: Type.Array(Type.Ref('Task')) }), ...errors(...AUTH_ERRORS) } } },
    (req) => service.myTasks(ctx, req.principal),
  );
  app.post(
    '/api/v2/tasks/:id/start',
    { schema: { tags, summary: 'Start an assigned task (its driver only)', params: IdParams, response: { 200: Type.Ref('Task'), ...errors(...AUTH_ERRORS, 404, 409) } } },
    (req) => service.startAsDriver(ctx, req.principal, req.params.id),
  );
  app.post(
    '/api/v2/uploads',
    {
      schema: {
        tags,
        summary: 'Upload a proof photo or signature (multipart field "file"; PNG, JPEG or WebP, at most 2 MB; field "kind": photo | signature)',
        consumes: ['multipart/form-data'],
        response: { 201: Type.Object({ id: Type.String() }), ...errors(...AUTH_ERRORS, 413, 415) },
      },
    },
    async (req, reply) => {
      if (!req.isMultipart()) throw invalid('Send the image as multipart/form-data with a field named "file".', { field: 'file' });
      const file = await req.file({ limits: { fileSize: MAX_IMAGE_BYTES + 1, files: 1 } });
      if (!file) throw invalid('The request has no file; send it in a field named "file".', { field: 'file' });
      const data = await file.toBuffer();
      const kindField = file.fields.kind as { value?: unknown } | undefined;
      const kind = kindField?.value === 'signature' ? 'signature' : 'photo';
      return reply.status(201).send(await service.uploadProof(ctx, req.principal, data, kind));
    },
  );
}
