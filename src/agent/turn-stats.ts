/** Builds the per-turn stats row from the runs of one turn. Pure. */
import type { ResultKind, TurnStatInput } from '../protocol/index.js';
import type { RunTally } from './stream-parser.js';

/** Everything a stats row needs besides the tallies. */
export interface TurnFacts {
  model: string;
  wakeFrom: string;
  resultKind: ResultKind;
  startedAtMs: number;
  endedAtMs: number;
  openThreads: number;
  openReminders: number;
  note?: string;
  /** `usage_limited`: when claude said the limit resets (unix seconds). */
  limitResetsAt?: number;
}

/**
 * Sum the runs of one turn (a prompt-too-long turn has three: the failed
 * try, `/compact`, the retry) into one row.
 */
export function buildTurnStat(runs: readonly RunTally[], facts: TurnFacts): TurnStatInput {
  const toolCalls: Record<string, number> = {};
  let toolCallCount = 0;
  let input = 0, output = 0, cacheRead = 0, cacheCreation = 0;
  let cost: number | undefined;
  let numTurns: number | undefined;
  for (const run of runs) {
    for (const [name, count] of Object.entries(run.toolCalls)) toolCalls[name] = (toolCalls[name] ?? 0) + count;
    toolCallCount += run.toolCallCount;
    const r = run.result;
    if (!r) continue;
    input += r.usage.input_tokens;
    output += r.usage.output_tokens;
    cacheRead += r.usage.cache_read_input_tokens;
    cacheCreation += r.usage.cache_creation_input_tokens;
    if (r.costUsd !== undefined) cost = (cost ?? 0) + r.costUsd;
    if (r.numTurns !== undefined) numTurns = (numTurns ?? 0) + r.numTurns;
  }
  const row: TurnStatInput = {
    model: facts.model,
    wake_from: facts.wakeFrom,
    result_kind: facts.resultKind,
    started_at: facts.startedAtMs / 1000,
    ended_at: facts.endedAtMs / 1000,
    duration_ms: Math.max(0, facts.endedAtMs - facts.startedAtMs),
    input_tokens: input,
    output_tokens: output,
    cache_read_input_tokens: cacheRead,
    cache_creation_input_tokens: cacheCreation,
    tool_call_count: toolCallCount,
    tool_calls: toolCalls,
    open_threads_count: facts.openThreads,
    open_reminders_count: facts.openReminders,
  };
  if (cost !== undefined) row.cost_usd = cost;
  if (numTurns !== undefined) row.num_turns = numTurns;
  if (facts.limitResetsAt !== undefined) row.limit_resets_at = facts.limitResetsAt;
  // The core takes notes of at most 4096 characters; a long failure text keeps its start.
  if (facts.note) row.note = facts.note.length > 4096 ? `${facts.note.slice(0, 4093)}…` : facts.note;
  return row;
}
