import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { ERRORS } from '../lib/errors.ts';
import { ErrorSchema } from '../lib/schemas.ts';

function errorTable(): string {
  const rows = Object.values(ERRORS).map((e) => `| ${e.status} | ${e.code} | ${e.error} | ${e.meaning} |`);
  return ['| HTTP | code | error | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

/** The OpenAPI document is generated from the route schemas and served at /api/docs. */
export async function registerOpenApi(app: FastifyInstance, ctx: AppContext) {
  app.addSchema(ErrorSchema);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Baton API',
        version: '2',
        description: [
          'Courier dispatch with a client portal. Tasks, teams, workers, admins and webhooks are wire-compatible with Onfleet API v2.',
          '',
          'Authenticate with an API key (`Authorization: Basic base64(KEY:)`, `Basic base64(KEY)` or `Bearer KEY`) or a session cookie.',
          '',
          'Every `POST` accepts an `Idempotency-Key` header (1–255 visible ASCII characters): a retry with the same key from the same caller gets the first answer again (with `Idempotent-Replayed: true`) and creates nothing; the same key with a different request is refused (409). Keys are kept for 24 hours.',
          '',
          'Every error answers `{"code", "message": {"error", "message", "cause", "request"}}`:',
          '',
          errorTable(),
        ].join('\n'),
      },
      servers: [{ url: ctx.config.publicUrl }],
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'basic', description: 'The API key as the user name, empty password' },
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'baton_session' },
        },
      },
      security: [{ apiKey: [] }, { bearer: [] }, { session: [] }],
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (json.$id as string) || `def-${i}`,
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
}
