/**
 * The models an agent may be set to: the hive's `models` list, each entry a
 * name or a prefix ending in `*`. The core refuses any other `set_model`;
 * consoles offer the names. Zod-free, so the console can read it at start.
 */

/**
 * What current claude releases accept: the aliases (`claude --help` of
 * 2.1.330 names fable, opus and sonnet; haiku still works) and any full
 * `claude-…` model name.
 */
export const DEFAULT_MODELS: readonly string[] = ['fable', 'opus', 'sonnet', 'haiku', 'claude-*'];

/** True when `model` is one of `models` (or starts with the prefix of an entry ending in `*`). */
export function modelAllowed(model: string, models: readonly string[]): boolean {
  return models.some((m) => (m.endsWith('*') ? model.length > m.length - 1 && model.startsWith(m.slice(0, -1)) : model === m));
}

/** The list as a person reads it: `fable, opus, sonnet, haiku or a full claude-… name`. */
export function describeModels(models: readonly string[]): string {
  const words = models.map((m) => (m.endsWith('*') ? `a full ${m.slice(0, -1)}… name` : m));
  return words.length <= 1 ? (words[0] ?? 'nothing') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** Why `model` cannot be set, or undefined when it can. */
export function modelProblem(model: string, models: readonly string[]): string | undefined {
  if (modelAllowed(model, models)) return undefined;
  const shown = model.length > 60 ? `${model.slice(0, 60)}…` : model;
  return `unknown model ${JSON.stringify(shown)}: this hive takes ${describeModels(models)}`;
}
