import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import type { App } from '../../lib/http.ts';
import { errors } from '../../lib/schemas.ts';
import { fileHeaders, readUpload } from './uploads.service.ts';

export async function uploadRoutes(app: App, ctx: AppContext) {
  app.get(
    '/files/:id',
    {
      schema: {
        tags: ['Files'],
        summary: 'An uploaded image (logos are public; photos and signatures only for their organization)',
        security: [],
        params: Type.Object({ id: Type.String({ maxLength: 24 }) }),
        response: { ...errors(404) },
      },
    },
    async (req, reply) => {
      const f = await readUpload(ctx, req.params.id, req.principal?.organizationId ?? null);
      reply.headers(fileHeaders(f)).header('Cache-Control', f.isPublic ? 'public, max-age=86400, immutable' : 'private, max-age=300');
      return reply.send(f.data);
    },
  );
}
