import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { AppError, invalid } from '../lib/errors.ts';
import * as repo from '../modules/idempotency/idempotency.repository.ts';

const KEY_TTL_MS = 24 * 3_600_000;
const WAIT_FOR_FIRST_MS = 15_000;
const MAX_STORED_BYTES = 1024 * 1024;

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: { scope: string; key: string } | null;
  }
}

function scopeOf(req: FastifyRequest): string | null {
  const p = req.principal;
  if (!p) return null;
  if (p.kind === 'driver') return `${p.organizationId}:w:${p.workerId}`;
  return `${p.organizationId}:${p.apiKeyId ? `k:${p.apiKeyId}` : `u:${p.userId}`}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `Idempotency-Key` on POST: the first request with a key is answered normally and its answer
 * kept for 24 hours; a retry with the same key (from the same caller, for the same request) gets
 * that answer again, marked `Idempotent-Replayed: true`, and creates nothing. A retry that arrives
 * while the first is still running waits for it. The same key with a different request is refused
 * (409). Server errors (5xx) are not kept, so the request can be retried.
 */
export function registerIdempotency(app: FastifyInstance, ctx: AppContext) {
  app.decorateRequest('idempotency', null);

  // Hooks run for every request: they stay synchronous unless there is a key to look after.
  app.addHook('preHandler', (req, reply, done) => {
    if (req.method !== 'POST' || req.headers['idempotency-key'] === undefined) return done();
    claimOrReplay(req, reply).then((replayed) => {
      if (!replayed) done();
    }, done);
  });

  /** Claims the key for this request, or answers with the first request's answer (true). */
  async function claimOrReplay(req: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const raw = req.headers['idempotency-key']!;
    const key = Array.isArray(raw) ? raw[0] : raw;
    if (!key || key.length > 255 || !/^[\x21-\x7e]+$/.test(key)) {
      throw invalid('Idempotency-Key must be 1 to 255 visible ASCII characters.', { field: 'Idempotency-Key' });
    }
    const scope = scopeOf(req);
    if (!scope) return false;
    const hash = crypto
      .createHash('sha256')
      .update(`${req.method} ${req.url}\n${req.body === undefined ? '' : JSON.stringify(req.body)}`)
      .digest('hex');
    const now = ctx.now();
    if (Math.random() < 0.01) await repo.expire(ctx.db, now - KEY_TTL_MS);

    if (await repo.claim(ctx.db, scope, key, hash, now)) {
      req.idempotency = { scope, key };
      return false;
    }
    // A retry: wait for the first answer if it is still being made, then replay it.
    const deadline = Date.now() + WAIT_FOR_FIRST_MS;
    for (;;) {
      const row = await repo.find(ctx.db, scope, key);
      if (!row) {
        // The first attempt failed with a server error and let go of the key: this one goes ahead.
        if (await repo.claim(ctx.db, scope, key, hash, ctx.now())) {
          req.idempotency = { scope, key };
          return false;
        }
        continue;
      }
      if (row.request_hash !== hash) {
        throw new AppError('stateConflict', 'This Idempotency-Key was already used for a different request. Use a new key for a new request.', { field: 'Idempotency-Key' });
      }
      if (row.status_code !== null) {
        reply.header('Idempotent-Replayed', 'true');
        if (row.content_type) reply.header('content-type', row.content_type);
        reply.code(row.status_code).send(row.body ?? '');
        return true;
      }
      if (Date.now() > deadline) throw new AppError('stateConflict', 'A request with this Idempotency-Key is still being processed. Retry in a moment.', { field: 'Idempotency-Key' });
      await sleep(50);
    }
  }

  // A client that hangs up before the answer leaves no half-claimed key behind.
  app.addHook('onRequestAbort', async (req) => {
    const claim = req.idempotency;
    if (!claim) return;
    req.idempotency = null;
    await repo.release(ctx.db, claim.scope, claim.key);
  });

  app.addHook('onSend', (req, reply, payload, done) => {
    const claim = req.idempotency;
    if (!claim) return done(null, payload);
    req.idempotency = null;
    keepAnswer(reply, claim, payload).then(() => done(null, payload), done);
  });

  /** Stores the answer for replays (or lets go of the key after a server error or an answer too big to keep). */
  async function keepAnswer(reply: FastifyReply, claim: { scope: string; key: string }, payload: unknown) {
    const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null;
    if (reply.statusCode >= 500 || body === null || body.length > MAX_STORED_BYTES) {
      await repo.release(ctx.db, claim.scope, claim.key);
    } else {
      const type = reply.getHeader('content-type');
      await repo.complete(ctx.db, claim.scope, claim.key, reply.statusCode, typeof type === 'string' ? type : null, body);
    }
  }
}
