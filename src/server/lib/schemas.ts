import { FormatRegistry, Type, type TSchema, type TObject, type TProperties, type ObjectOptions } from '@sinclair/typebox';
import { ID_PATTERN } from './ids.ts';

/** The error body every failure answers with. */
export const ErrorSchema = Type.Object(
  {
    code: Type.String({ examples: ['InvalidContent'] }),
    message: Type.Object({
      error: Type.Integer({ examples: [1000] }),
      message: Type.String(),
      cause: Type.Unknown(),
      request: Type.String(),
    }),
  },
  { $id: 'Error', title: 'Error' },
);

export const Id = (description = 'A 24-character id') => Type.String({ pattern: ID_PATTERN, description });
export const IdParams = Type.Object({ id: Id() });

/** Body objects drop unknown fields (Fastify's Ajv removes them), so nothing unknown is stored. */
export const Body = <T extends TProperties>(props: T, opts: ObjectOptions = {}): TObject<T> =>
  Type.Object(props, { additionalProperties: false, ...opts });

export const Email = Type.String({ format: 'email', maxLength: 254 });

// Routes validate with Fastify's Ajv; batch items and CSV rows are checked with TypeBox's compiler,
// which knows a format only once it is registered. The same rule as Ajv's "email" format.
const EMAIL_RE = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;
if (!FormatRegistry.Has('email')) FormatRegistry.Set('email', (v) => EMAIL_RE.test(v));
export const Name = (max = 200) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S' });
export const Password = Type.String({ minLength: 10, maxLength: 200, description: 'At least 10 characters' });

const errorRef = Type.Ref(ErrorSchema);

/** Response schemas for the given error statuses, all with the one error body. */
export function errors(...statuses: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {};
  for (const s of statuses) out[s] = errorRef;
  return out;
}

/** The statuses any authenticated route can answer with. */
export const AUTH_ERRORS = [400, 401, 403, 429] as const;

export const Empty = Type.Null({ description: 'Empty body' });

export const Paging = Type.Object({
  lastId: Type.Optional(Id('Pass the lastId of the previous page to continue')),
});

/** One entry of an audit trail: who did what, when. */
export const AuditEntry = Type.Object({
  id: Type.String(),
  actor: Type.Object({ id: Type.Union([Type.String(), Type.Null()]), label: Type.String() }),
  action: Type.String(),
  subjectType: Type.String(),
  subjectId: Type.String(),
  data: Type.Unknown(),
  time: Type.Number(),
});

export const AUDIT_ENTRY_NOTE =
  'Each entry names its actor (a person, an API key, or Baton itself when the actor id is null), its action and the data it changed.';

/** A point on the map with the address people know it by: `{location: [lng, lat], address?}`. */
export const PlaceIn = Type.Object(
  {
    location: Type.Tuple([Type.Number({ minimum: -180, maximum: 180 }), Type.Number({ minimum: -90, maximum: 90 })], { description: '[longitude, latitude]' }),
    address: Type.Optional(Type.String({ maxLength: 300, description: 'the address as text, for people' })),
  },
  { additionalProperties: false },
);
export const Place = Type.Object({ location: Type.Tuple([Type.Number(), Type.Number()]), address: Type.String() });
