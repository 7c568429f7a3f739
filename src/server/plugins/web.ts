import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../context.ts';
import { errorBody } from '../lib/errors.ts';

/**
 * Serves the built single-page app (dist/web) and answers unknown /api paths with the error format.
 * Any other GET falls back to index.html so client-side routes load directly.
 */
export async function registerWeb(app: FastifyInstance, ctx: AppContext) {
  const root = ctx.config.webDir;
  const index = path.join(root, 'index.html');
  const hasWeb = fs.existsSync(index);
  /** the app's page, never cached (its asset names change with every build) */
  const page = (reply: FastifyReply) => reply.header('Cache-Control', 'no-cache').sendFile('index.html', root, { cacheControl: false });
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root,
      // Files are looked up per request, so a rebuild is served without a restart.
      wildcard: true,
      index: false,
      setHeaders(res, filePath) {
        if (filePath.includes(`${path.sep}assets${path.sep}`)) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
      },
    });
    // The static files' wildcard route takes "/" for a directory listing it refuses: the app's
    // front door is its page, like every other client-side route.
    app.get('/', { schema: { hide: true } }, (_req, reply) => page(reply));
  } else {
    app.log.warn(`No built web app in ${root}; run "npm run build" (npm start does this for you).`);
  }
  const api = /^\/(api|files|health)(\/|$|\?)/;
  app.setNotFoundHandler((req, reply) => {
    if (api.test(req.url) || (req.method !== 'GET' && req.method !== 'HEAD')) {
      return reply
        .status(404)
        .send(errorBody('notFound', `No route ${req.method} ${req.url.split('?')[0]}. See /api/docs for the API reference.`, null, req.id));
    }
    if (req.url.startsWith('/assets/')) {
      return reply.status(404).type('text/plain').send('Not found');
    }
    if (!hasWeb) {
      return reply.status(503).type('text/plain').send('The web app has not been built. Run "npm run build" and restart.');
    }
    return page(reply);
  });
}
