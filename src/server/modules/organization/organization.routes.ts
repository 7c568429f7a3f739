import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { invalid } from '../../lib/errors.ts';
import type { App } from '../../lib/http.ts';
import { AUTH_ERRORS, errors } from '../../lib/schemas.ts';
import { MAX_IMAGE_BYTES } from '../uploads/uploads.service.ts';
import * as service from './organization.service.ts';
import { Organization, UpdateOrganizationBody } from './organization.schemas.ts';

export async function organizationRoutes(app: App, ctx: AppContext) {
  app.addSchema(Organization);
  const tags = ['Organization'];
  const one = { 200: Type.Ref(Organization), ...errors(...AUTH_ERRORS, 404) };

  app.get('/api/v2/organization', { schema: { tags, summary: 'Your organization', response: one } }, (req) =>
    service.getOrganization(ctx, req.principal),
  );
  app.put('/api/v2/organization', { schema: { tags, summary: 'Update your organization', body: UpdateOrganizationBody, response: one } }, (req) =>
    service.updateOrganization(ctx, req.principal, req.body),
  );
  app.post(
    '/api/v2/organization/logo',
    {
      schema: {
        tags,
        summary: 'Upload the logo (multipart field "file": PNG, JPEG or WebP, at most 2 MB)',
        consumes: ['multipart/form-data'],
        response: { ...one, ...errors(413, 415) },
      },
    },
    async (req) => {
      if (!req.isMultipart()) throw invalid('Send the logo as multipart/form-data with a field named "file".', { field: 'file' });
      const file = await req.file({ limits: { fileSize: MAX_IMAGE_BYTES + 1, files: 1 } });
      if (!file) throw invalid('The request has no file; send it in a field named "file".', { field: 'file' });
      const data = await file.toBuffer();
      return service.setLogo(ctx, req.principal, { data });
    },
  );
  app.delete('/api/v2/organization/logo', { schema: { tags, summary: 'Remove the logo', response: one } }, (req) =>
    service.setLogo(ctx, req.principal, null),
  );
}
