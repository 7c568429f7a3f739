import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { sendEmpty, type App } from '../../lib/http.ts';
import { AUTH_ERRORS, Body, Empty, errors, IdParams, Name } from '../../lib/schemas.ts';
import * as service from './api-keys.service.ts';

const ApiKey = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    prefix: Type.String({ description: 'The first characters of the key' }),
    lastUsed: Type.Union([Type.Number(), Type.Null()]),
    timeCreated: Type.Number(),
  },
  { $id: 'ApiKey', title: 'ApiKey' },
);

const NewApiKey = Type.Composite([Type.Omit(ApiKey, []), Type.Object({ key: Type.String({ description: 'The secret key; shown only once' }) })]);

export async function apiKeyRoutes(app: App, ctx: AppContext) {
  app.addSchema(ApiKey);
  const tags = ['API keys'];
  app.get('/api/v2/apiKeys', { schema: { tags, summary: 'List API keys', response: { 200: Type.Array(Type.Ref(ApiKey)), ...errors(...AUTH_ERRORS) } } }, (req) =>
    service.listKeys(ctx, req.principal),
  );
  app.post(
    '/api/v2/apiKeys',
    { schema: { tags, summary: 'Create an API key (the key is returned only here)', body: Body({ name: Name(100) }), response: { 201: NewApiKey, ...errors(...AUTH_ERRORS) } } },
    async (req, reply) => reply.status(201).send(await service.createKey(ctx, req.principal, req.body.name.trim())),
  );
  app.delete(
    '/api/v2/apiKeys/:id',
    { schema: { tags, summary: 'Revoke an API key', params: IdParams, response: { 200: Empty, ...errors(...AUTH_ERRORS, 404) } } },
    async (req, reply) => {
      await service.revokeKey(ctx, req.principal, req.params.id);
      return sendEmpty(reply);
    },
  );
}
