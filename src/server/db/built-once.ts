import { createQueryId, type Compilable, type CompiledQuery } from 'kysely';
import { isPostgresDb, type Db } from './database.ts';

/** A value or list of values a read is given. */
type Arg = string | number | null | ReadonlyArray<string | number>;

/** Stands in for an argument (or one element of a list argument) while the statement is built. */
class Slot {
  constructor(
    readonly arg: number,
    readonly element: number,
  ) {}
}

interface Template {
  sql: string;
  query: CompiledQuery['query'];
  /** per parameter: the argument (and element) it is, or a value the statement always has */
  parameters: Array<Slot | { value: unknown }>;
}

/**
 * A read on the request path built and compiled by Kysely once per shape (dialect, and the length of
 * each list argument), then bound to each call's arguments: `build` must make the same statement for
 * any values, using its arguments only as values. The first call of each shape checks that binding
 * gives exactly what building would; a shape that does not is always built (docs/decisions/0015).
 */
export function builtOnce<A extends Arg[], R>(build: (db: Db, ...args: A) => Compilable<R>): (db: Db, ...args: A) => Promise<R[]> {
  const templates = new Map<string, Template | null>();
  return async (db, ...args) => {
    let key = isPostgresDb(db) ? 'pg' : 'sqlite';
    for (const a of args) key += Array.isArray(a) ? ` ${a.length}` : ' -';
    let template = templates.get(key);
    if (template === undefined) {
      const made = makeTemplate(db, build, args);
      const compiled = build(db, ...args).compile();
      template = made && bindsTo(made, args, compiled) ? made : null;
      if (templates.size >= 100) templates.clear();
      templates.set(key, template);
      return (await db.executeQuery(compiled)).rows;
    }
    if (template === null) return (await db.executeQuery(build(db, ...args).compile())).rows;
    const parameters = bind(template, args);
    return (await db.executeQuery<R>({ query: template.query, queryId: createQueryId(), sql: template.sql, parameters })).rows;
  };
}

function makeTemplate<A extends Arg[], R>(db: Db, build: (db: Db, ...args: A) => Compilable<R>, args: A): Template | null {
  const slots = args.map((a, i) => (Array.isArray(a) ? a.map((_, k) => new Slot(i, k)) : new Slot(i, -1))) as unknown as A;
  let compiled: CompiledQuery;
  try {
    compiled = build(db, ...slots).compile();
  } catch {
    return null; // it looks into its arguments: built every time
  }
  const parameters = compiled.parameters.map((p) => (p instanceof Slot ? p : { value: p }));
  // every argument must have gone in as a value (else the statement depends on it otherwise)
  const used = new Set(parameters.filter((p): p is Slot => p instanceof Slot).map((p) => `${p.arg}:${p.element}`));
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (Array.isArray(a) ? a.some((_, k) => !used.has(`${i}:${k}`)) : !used.has(`${i}:-1`)) return null;
  }
  return { sql: compiled.sql, query: compiled.query, parameters };
}

/** Whether binding `args` gives exactly the statement building with them gave. */
function bindsTo(t: Template, args: Arg[], compiled: CompiledQuery): boolean {
  const bound = bind(t, args);
  return t.sql === compiled.sql && bound.length === compiled.parameters.length && bound.every((p, i) => p === compiled.parameters[i]);
}

function bind(t: Template, args: Arg[]): unknown[] {
  const out = new Array<unknown>(t.parameters.length);
  for (let i = 0; i < out.length; i++) {
    const p = t.parameters[i];
    if (p instanceof Slot) {
      const a = args[p.arg];
      out[i] = p.element < 0 ? a : (a as ReadonlyArray<unknown>)[p.element];
    } else out[i] = p.value;
  }
  return out;
}
