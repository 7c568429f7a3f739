import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import type { App } from '../../lib/http.ts';

/** What the web app needs to know about this installation (public, no secrets). */
export async function appConfigRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/v2/app-config',
    {
      schema: {
        tags: ['Health'],
        summary: 'Public settings of this installation for the web app (map tiles, public URL)',
        security: [],
        response: {
          200: Type.Object({
            publicUrl: Type.String(),
            mapTiles: Type.Object({ url: Type.String(), attribution: Type.String() }),
          }),
        },
      },
    },
    async () => ({ publicUrl: ctx.config.publicUrl, mapTiles: ctx.config.mapTiles }),
  );
}
