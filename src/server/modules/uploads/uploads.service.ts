import fs from 'node:fs/promises';
import path from 'node:path';
import type { AppContext } from '../../context.ts';
import { AppError, invalid, notFound } from '../../lib/errors.ts';
import { ID_REGEX, newId } from '../../lib/ids.ts';
import * as repo from './uploads.repository.ts';

export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

/**
 * The image type told by the file's first bytes (never by its name or the declared type): the
 * signature and the first structure each format must start with (PNG's IHDR chunk, a JPEG marker,
 * WebP's VP8 chunk). Anything else — SVG, HTML, PDF, scripts — is refused.
 */
export function sniffImage(data: Buffer): 'image/png' | 'image/jpeg' | 'image/webp' | null {
  if (data.length >= 16 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) && data.toString('ascii', 12, 16) === 'IHDR') return 'image/png';
  if (data.length >= 4 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff && data[3] >= 0xc0 && data[3] !== 0xff) return 'image/jpeg';
  if (data.length >= 16 && data.toString('ascii', 0, 4) === 'RIFF' && data.toString('ascii', 8, 12) === 'WEBP' && /^VP8[ LX]$/.test(data.toString('ascii', 12, 16))) return 'image/webp';
  return null;
}

const EXTENSIONS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };

/**
 * How a stored upload is served: its sniffed type, never sniffed again by the browser, no script or
 * plugin even when opened directly (CSP sandbox), and shown inline under a name made of its id.
 * Images are not re-encoded (see SECURITY.md), so these headers are what makes a polyglot harmless.
 */
export function fileHeaders(f: { id: string; contentType: string }): Record<string, string> {
  const type = EXTENSIONS[f.contentType] ? f.contentType : 'application/octet-stream';
  const disposition = EXTENSIONS[type] ? `inline; filename="${f.id.replace(/[^A-Za-z0-9]/g, '_')}.${EXTENSIONS[type]}"` : 'attachment';
  return {
    'Content-Type': type,
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Content-Disposition': disposition,
  };
}

/** Stores an image under a generated name (no user-supplied path ever reaches the disk). */
export async function storeImage(ctx: AppContext, organizationId: string, kind: 'logo' | 'photo' | 'signature', data: Buffer) {
  if (data.length > MAX_IMAGE_BYTES) throw new AppError('tooLarge', `The image is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB.`);
  const type = sniffImage(data);
  if (!type) throw invalid('The file is not a PNG, JPEG or WebP image.', { field: 'file' });
  const id = newId();
  const key = id.replace(/[~*]/g, (c) => (c === '~' ? '-' : '_'));
  await fs.mkdir(ctx.config.uploadsDir, { recursive: true });
  await fs.writeFile(path.join(ctx.config.uploadsDir, key), data, { mode: 0o600 });
  await repo.insertUpload(ctx.db, {
    id,
    organization_id: organizationId,
    kind,
    content_type: type,
    size: data.length,
    storage_key: key,
    time_created: ctx.now(),
  });
  return id;
}

/** A client sees the proof (photos, signature) of its own orders' tasks. */
async function isProofForMerchant(ctx: AppContext, uploadId: string, merchantId: string): Promise<boolean> {
  const rows = await ctx.db
    .selectFrom('tasks')
    .select('completion')
    .where('merchant_id', '=', merchantId)
    .where('completion', 'like', `%"${uploadId.replace(/[%_\\]/g, '')}"%`)
    .limit(5)
    .execute();
  return rows.some((r) => {
    const c = JSON.parse(r.completion ?? '{}') as { photoUploadIds?: string[]; signatureUploadId?: string | null };
    return (c.photoUploadIds ?? []).includes(uploadId) || c.signatureUploadId === uploadId;
  });
}

/** Reads an upload that is public (logos) for anyone, or private ones for their organization only. */
export async function readUpload(ctx: AppContext, id: string, organizationId: string | null) {
  if (!ID_REGEX.test(id)) throw notFound('File', id);
  const row = await repo.findUpload(ctx.db, id);
  if (!row) throw notFound('File', id);
  if (row.kind !== 'logo' && row.organization_id !== organizationId && !(organizationId && (await isProofForMerchant(ctx, id, organizationId)))) {
    throw notFound('File', id);
  }
  const data = await fs.readFile(path.join(ctx.config.uploadsDir, row.storage_key));
  return { id: row.id, data, contentType: row.content_type, isPublic: row.kind === 'logo' };
}

/** Reads an upload the caller has already been allowed to see (e.g. proof on a public tracking page). */
export async function readAllowedUpload(ctx: AppContext, id: string) {
  if (!ID_REGEX.test(id)) throw notFound('File', id);
  const row = await repo.findUpload(ctx.db, id);
  if (!row) throw notFound('File', id);
  const data = await fs.readFile(path.join(ctx.config.uploadsDir, row.storage_key));
  return { id: row.id, data, contentType: row.content_type };
}
