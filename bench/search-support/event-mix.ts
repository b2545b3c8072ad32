/**
 * Live events shaped like a working agent's stream, from a seed: turns that
 * start with a message, think, write, call tools (Bash, Read, Edit, the
 * hive's own) and get results back of every size (most short, some pages of
 * a file, a few long test logs), with heartbeats, token usage and turn state
 * between them, as the harness emits them. The words come from a vocabulary
 * of English, code identifiers, paths and ids, so the index grows a
 * vocabulary as a real one does.
 */
import { seededRandom } from '../../src/testing/seeded-random.js';
import type { LiveEventInput } from '../../src/protocol/index.js';

const ENGLISH = (
  'the a to of and in is it for that on with this be as at by from or an not are was but can will if we all so one ' +
  'test tests build run error fail failed passed check file files read write change fix bug issue review merge branch ' +
  'manager agent message reply approve deny question answer status turn stream event store index query result ' +
  'flaky timeout retry slow fast cache config update deploy commit diff patch line lines function value type name ' +
  'looks good now next first then after before because should would could need see seems works broken again done'
).split(' ');
const CODE = (
  'const let await async return import export interface class extends undefined null true false string number ' +
  'Promise Buffer JSON parse stringify length push map filter reduce forEach then catch throw new this ' +
  'agentEventLog appendBatch subscriber broadcast takePage dashboardChannel turnStats statusBoard deriveRow ' +
  'npm node tsc eslint vitest jest git grep sed awk make docker nix'
).split(' ');

/** A stream of events for one agent; each call to `next` gives the next few in order. */
export class EventMix {
  private readonly random: () => number;
  private readonly vocabulary: string[];
  private turn = 0;

  constructor(seed: number) {
    this.random = seededRandom(seed);
    // Identifiers, paths and hashes: a long tail of rare words.
    this.vocabulary = [];
    for (let i = 0; i < 30_000; i++) this.vocabulary.push(this.rareWord(i));
  }

  private int(lo: number, hi: number): number {
    return lo + Math.floor(this.random() * (hi - lo + 1));
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)]!;
  }

  private rareWord(i: number): string {
    const kind = i % 4;
    const stem = Math.floor(this.random() * 36 ** 6).toString(36);
    if (kind === 0) return `src/${this.pick(['core', 'agent', 'tui', 'cli'])}/${stem}.ts`;
    if (kind === 1) return `${this.pick(CODE)}${stem.slice(0, 3).toUpperCase()}${stem.slice(3)}`;
    if (kind === 2) return stem.padEnd(8, '0');
    return `${stem}-${i}`;
  }

  /** `n` words: mostly common ones, a Zipf-like tail of rare ones. */
  words(n: number): string {
    const out: string[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const r = this.random();
      if (r < 0.55) out[i] = this.pick(ENGLISH);
      else if (r < 0.8) out[i] = this.pick(CODE);
      else out[i] = this.vocabulary[Math.floor(this.random() ** 3 * this.vocabulary.length)]!;
    }
    return out.join(' ');
  }

  /** How long a tool result is, in words: most short, some a page of a file, a few long logs. */
  private resultWords(): number {
    const r = this.random();
    if (r < 0.7) return this.int(10, 150);
    if (r < 0.95) return this.int(150, 1200);
    return this.int(1200, 5000);
  }

  /** One whole turn's events, in the order the harness emits them. */
  nextTurn(): LiveEventInput[] {
    const t = ++this.turn;
    const events: LiveEventInput[] = [];
    const since = 1_763_700_000 + t * 60;
    events.push({ kind: 'turn_start', from: this.pick(['operator', 'manager', 'iris', 'system']), body: this.words(this.int(8, 60)), unread: 0 });
    events.push({ kind: 'turn_state_changed', state: 'thinking', since_unix: since });
    events.push({ kind: 'stream', data: { type: 'system', subtype: 'init', session_id: `s-${t}`, tools: ['Bash', 'Read', 'Edit', 'Write', 'mcp__hyperhive__send'], model: 'claude-haiku-4-5' } });
    const steps = this.int(3, 12);
    for (let s = 0; s < steps; s++) {
      const r = this.random();
      if (r < 0.3) {
        events.push(assistant({ type: 'thinking', thinking: this.words(this.int(15, 90)), signature: 'Eq' }));
      } else if (r < 0.55) {
        events.push(assistant({ type: 'text', text: this.words(this.int(15, 140)) }));
      } else {
        const id = `toolu_${t}_${s}`;
        const tool = this.pick(['Bash', 'Read', 'Edit', 'Grep', 'mcp__hyperhive__send']);
        const input =
          tool === 'Bash'
            ? { command: `npm test -- ${this.words(2)}`, description: this.words(5) }
            : tool === 'Edit'
              ? { file_path: this.words(1), old_string: this.words(this.int(5, 40)), new_string: this.words(this.int(5, 40)) }
              : tool === 'mcp__hyperhive__send'
                ? { to: 'manager', body: this.words(this.int(10, 60)) }
                : { pattern: this.words(2), path: this.words(1) };
        events.push(assistant({ type: 'tool_use', id, name: tool, input }));
        events.push({ kind: 'stream', data: { type: 'user', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: this.words(this.resultWords()) }] } } });
      }
      events.push({ kind: 'token_usage_changed', usage: { input_tokens: 12, output_tokens: this.int(20, 900), cache_read_input_tokens: 17_800, cache_creation_input_tokens: 0, context_tokens: 18_212 + s } });
      if (s % 2 === 0) events.push({ kind: 'heartbeat', elapsed_secs: s * 5, stdout_bytes: s * 4096, stdout_delta_bytes: 512, stagnant_heartbeats: 0, pid: 4242, pid_alive: true });
    }
    events.push({ kind: 'stream', data: { type: 'result', subtype: 'success', is_error: false, result: 'done', total_cost_usd: 0.0123, num_turns: steps } });
    events.push({ kind: 'turn_end', ok: this.random() > 0.05 });
    events.push({ kind: 'turn_state_changed', state: 'idle', since_unix: since + 30 });
    return events;
  }
}

function assistant(block: Record<string, unknown>): LiveEventInput {
  return { kind: 'stream', data: { type: 'assistant', message: { role: 'assistant', content: [block], usage: { input_tokens: 3, output_tokens: 41 } }, session_id: 's' } };
}
