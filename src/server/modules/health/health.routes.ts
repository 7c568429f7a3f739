import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { pingDb } from '../../db/database.ts';
import type { App } from '../../lib/http.ts';

const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  database: Type.Object({ dialect: Type.String(), reachable: Type.Boolean(), latencyMs: Type.Number() }),
});

export async function healthRoutes(app: App, ctx: AppContext) {
  app.get(
    '/health',
    { schema: { tags: ['Health'], summary: 'Liveness and database reachability', security: [], response: { 200: Health, 503: Health } } },
    async (_req, reply) => {
      const started = performance.now();
      let reachable = true;
      try {
        await pingDb(ctx.db);
      } catch {
        reachable = false;
      }
      const body = {
        status: reachable ? ('ok' as const) : ('unavailable' as const),
        database: { dialect: ctx.dialect, reachable, latencyMs: Math.round((performance.now() - started) * 100) / 100 },
      };
      return reply.status(reachable ? 200 : 503).send(body);
    },
  );
}
