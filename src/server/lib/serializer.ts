import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';

const PRIMITIVES = new Set(['string', 'number', 'integer', 'boolean', 'null']);
const STRUCTURAL = ['properties', 'items', '$ref', 'anyOf', 'oneOf', 'allOf', 'patternProperties', 'additionalProperties'];

function isPrimitiveMember(s: unknown): s is { type: string } {
  if (!s || typeof s !== 'object') return false;
  const o = s as Record<string, unknown>;
  return typeof o.type === 'string' && PRIMITIVES.has(o.type) && !STRUCTURAL.some((k) => k in o);
}

/**
 * For serializing only: `anyOf` of primitive types (TypeBox's `Union([String(), Null()])`, unions of
 * string literals) becomes `type: [..]`. fast-json-stringify writes such values directly, whereas for
 * `anyOf` it runs a JSON-schema validator on every value of every response to pick the branch.
 * The output is the same JSON; request validation keeps the original schemas.
 */
export function simplifyForSerialization<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map(simplifyForSerialization) as T;
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema as Record<string, unknown>)) out[k] = simplifyForSerialization(v);
  const anyOf = out.anyOf;
  if (Array.isArray(anyOf) && anyOf.length > 0 && anyOf.every(isPrimitiveMember)) {
    const types = [...new Set(anyOf.map((m) => m.type))];
    delete out.anyOf;
    out.type = types.length === 1 ? types[0] : types;
  }
  return out as T;
}

/** Fastify's default serializer builder, fed the simplified schemas. */
export function buildSerializer() {
  const factory = SerializerSelector();
  return (externalSchemas: Record<string, unknown> | undefined, serializerOpts: unknown) => {
    const compile = factory(simplifyForSerialization(externalSchemas ?? {}) as never, serializerOpts as never);
    return (opts: { schema: unknown; method: string; url: string; httpStatus: string }) => compile({ ...opts, schema: simplifyForSerialization(opts.schema) } as never);
  };
}
