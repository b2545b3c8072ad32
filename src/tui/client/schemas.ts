/**
 * The wire schemas (zod), loaded on first use: they cost more start-up time
 * than anything else the console needs, so the first frame never waits for them.
 */
export type Schemas = typeof import('./wire-schemas.js');

let loading: Promise<Schemas> | null = null;

/** The schemas module (one import, shared). */
export function loadSchemas(): Promise<Schemas> {
  loading ??= import('./wire-schemas.js');
  return loading;
}
