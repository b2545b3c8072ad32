/**
 * One turn: run the command on the wake-up text (one `/compact` and a retry
 * when the prompt was too long), emit the turn's events, record its stats row
 * locally and at the core, and ack the message — unless claude could not
 * work on it (not logged in, usage limit): then the message is held, unacked,
 * for the harness to run again once the agent is released. Also the
 * operator's stand-alone `/compact` turn.
 */
import fs from 'node:fs';
import type { InboxMessage, ResultKind } from '../protocol/index.js';
import type { AgentLink } from './agent-link.js';
import type { AgentStore } from './agent-store.js';
import { runCommand, type RunningCommand } from './claude-runner.js';
import type { LiveEvents } from './live-events.js';
import { touch } from './state-files.js';
import { RunTally, classifyRun, describeFailure, type RunExit } from './stream-parser.js';
import { withTimeout } from './timing.js';
import { EXIT_CANNOT_RUN, type TurnControls } from './turn-controls.js';
import { buildTurnStat } from './turn-stats.js';
import { wakeText } from './wake-text.js';
import { MCP_SERVER_NAME } from './mcp-config.js';
import { PERMISSION_PROMPT_TOOL } from './permission-prompt.js';
import { MAX_QUESTION_TTL_SECONDS } from '../protocol/index.js';

/** The `--permission-prompt-tool` value: the hive's MCP tool, as claude names it. */
export const PERMISSION_PROMPT_TOOL_FLAG = `mcp__${MCP_SERVER_NAME}__${PERMISSION_PROMPT_TOOL}`;

/**
 * The command's environment. A permission prompt waits for the operator as
 * long as the hive allows (at most 6 h), so claude's own MCP tool timeout
 * must not cut it first; an agent config that sets MCP_TOOL_TIMEOUT keeps it.
 */
function commandEnv(base: NodeJS.ProcessEnv, name: string): NodeJS.ProcessEnv {
  return { MCP_TOOL_TIMEOUT: String((MAX_QUESTION_TTL_SECONDS + 60) * 1000), ...base, HYPERHIVE_AGENT: name };
}

type RunOutcome = RunExit & { tally: RunTally };

/** How a turn ended for the loop: done (acked, or cut short by a stop), or held for later. */
export type TurnOutcome =
  | { held: false }
  /** claude could not work (`needs_login`, `usage_limited`); `pausedByCore`: the core paused the agent for it. */
  | { held: true; kind: ResultKind; pausedByCore: boolean };

/** Kinds of turn that leave their message unacked, to be run again. */
const HOLDING_KINDS: ReadonlySet<ResultKind> = new Set<ResultKind>(['needs_login', 'usage_limited']);

/** What running turns needs from the harness. */
export interface TurnContext {
  name: string;
  command: string[];
  /** Environment for the command (defaults to the harness's own). */
  env?: NodeJS.ProcessEnv;
  heartbeatMs: number;
  cancelGraceMs?: number;
  workDir: string;
  sessionMarker: string;
  /** claude's configuration and credentials dir for this agent (`CLAUDE_CONFIG_DIR`). */
  claudeConfigDir: string;
  mcpConfigPath(): string;
  model(): string;
  link: AgentLink;
  store: AgentStore;
  events: LiveEvents;
  controls: TurnControls;
  log(line: string): void;
}

/** Runs turns for one harness. */
export class TurnRunner {
  constructor(private readonly ctx: TurnContext) {}

  /** One inbox message, start to ack (or hold); `unread` is how many more wait behind it. */
  async turn(message: InboxMessage, unread: number): Promise<TurnOutcome> {
    const { events, controls } = this.ctx;
    const startedAtMs = Date.now();
    controls.turnCancelled = false;
    events.emit({ kind: 'turn_start', from: message.from, body: message.body, unread });
    events.emitTurnState('thinking');
    const prompt = wakeText(this.ctx.name, message);
    const runs: RunTally[] = [];
    const first = await this.runOnce(prompt, !controls.consumeNewSession());
    runs.push(first.tally);
    let kind: ResultKind = classifyRun(first.tally, first);
    let ok = kind === 'ok';
    let note = describeFailure(first.tally, first);
    let last = first;
    let compactExit: RunExit = first;
    if (kind === 'prompt_too_long' && !controls.turnCancelled && !controls.hardStop()) {
      events.emitTurnState('compacting');
      const compact = await this.runOnce('/compact', true);
      compactExit = compact;
      runs.push(compact.tally);
      let retryKind: ResultKind = classifyRun(compact.tally, compact);
      if (retryKind === 'ok' && !controls.turnCancelled && !controls.hardStop()) {
        events.emitTurnState('thinking');
        const retry = await this.runOnce(prompt, true);
        runs.push(retry.tally);
        last = retry;
        retryKind = classifyRun(retry.tally, retry);
        ok = retryKind === 'ok';
        note = `prompt was too long; compacted and retried: ${retryKind}${ok ? '' : ` (${describeFailure(retry.tally, retry)})`}`;
      } else {
        note = `prompt was too long and /compact did not help: ${describeFailure(compact.tally, compact) ?? retryKind}`;
      }
      // The compaction or the retry may be where claude said it cannot work.
      const stopped = runs.slice(1).map((tally, i) => classifyRun(tally, i === 0 ? compactExit : last)).find((k) => HOLDING_KINDS.has(k));
      if (stopped && !controls.turnCancelled) kind = stopped;
    }
    if (controls.turnCancelled) kind = 'cancelled';
    events.emitUsage(last.tally);
    events.emit(note ? { kind: 'turn_end', ok, result_kind: kind, note } : { kind: 'turn_end', ok, result_kind: kind });
    events.emitTurnState('idle');
    if (ok) touch(this.ctx.sessionMarker);
    const held = HOLDING_KINDS.has(kind) && !controls.turnCancelled;
    const limit = runs.map((r) => r.usageLimit).find((l) => l?.resetsAt !== undefined);
    const pausedByCore = await this.recordStat(runs, { kind, note, startedAtMs, wakeFrom: message.from, limitResetsAt: limit?.resetsAt });
    // Every later turn would fail the same way: stop with the exit code that marks the agent failed, the message unacked.
    if (first.cannotStart) controls.stopRequest ??= { exitCode: EXIT_CANNOT_RUN, graceful: false };
    // A held message stays unacked: it is run again once the agent is released (or handed out
    // again by the core after a restart). So does one cut short by shutdown.
    if (held) return { held: true, kind, pausedByCore };
    if (controls.hardStop()) return { held: false };
    await events.flush();
    const acked = await this.ctx.link.call({ cmd: 'ack', ids: [message.id] }).catch((err: Error) => ({ ok: false, error: err.message }));
    if (!acked.ok) this.ctx.log(`could not ack message #${message.id}: ${acked.error ?? 'unknown error'}`);
    return { held: false };
  }

  /** The operator's `compact` control: one `/compact` run, recorded as its own stats row. */
  async compactTurn(): Promise<void> {
    const { events, controls } = this.ctx;
    const startedAtMs = Date.now();
    controls.turnCancelled = false;
    events.emitTurnState('compacting');
    const run = await this.runOnce('/compact', true);
    const kind = classifyRun(run.tally, run);
    const note = describeFailure(run.tally, run);
    events.emitUsage(run.tally);
    events.emitTurnState('idle');
    await this.recordStat([run.tally], { kind, note: note ? `/compact: ${note}` : '/compact', startedAtMs, wakeFrom: 'compact' });
  }

  private async runOnce(stdin: string, wantContinue: boolean): Promise<RunOutcome> {
    const { events, controls } = this.ctx;
    const args = ['--print', '--verbose', '--output-format', 'stream-json', '--model', this.ctx.model()];
    // `--continue` with no earlier conversation in this folder has nothing to continue.
    if (wantContinue && fs.existsSync(this.ctx.sessionMarker)) args.push('--continue');
    args.push('--mcp-config', this.ctx.mcpConfigPath(), '--strict-mcp-config');
    // Before a tool that needs permission, claude asks the hive (the operator, or a rule) through this MCP tool.
    args.push('--permission-prompt-tool', PERMISSION_PROMPT_TOOL_FLAG);
    let running: RunningCommand;
    try {
      running = runCommand({
        command: this.ctx.command,
        args,
        stdin,
        cwd: this.ctx.workDir,
        // Each agent's own claude config dir: its login and token refreshes never touch another's.
        env: { ...commandEnv(this.ctx.env ?? process.env, this.ctx.name), CLAUDE_CONFIG_DIR: this.ctx.claudeConfigDir },
        heartbeatMs: this.ctx.heartbeatMs,
        cancelGraceMs: this.ctx.cancelGraceMs,
        onItem: (item) => {
          events.emit(item);
          if (item.kind === 'stream' && item.data.type === 'assistant') events.noteContext(item.data.message);
        },
        onHeartbeat: (beat) => events.emit({ kind: 'heartbeat', ...beat }),
      });
    } catch (err) {
      const cannotStart = `cannot start the command: ${(err as Error).message}`;
      events.emit({ kind: 'note', text: cannotStart });
      return { exitCode: 127, signal: null, cancelled: false, tally: new RunTally(), cannotStart };
    }
    controls.current = running;
    // A stop or cancel that arrived just before the command started still applies.
    if (controls.turnCancelled || controls.hardStop()) running.cancel();
    try {
      return await running.done;
    } finally {
      controls.current = null;
    }
  }

  /** Write the stats row locally and send it to the core; true when the core answered that the agent is now paused. */
  private async recordStat(
    runs: RunTally[],
    t: { kind: ResultKind; note: string | undefined; startedAtMs: number; wakeFrom: string; limitResetsAt?: number },
  ): Promise<boolean> {
    const counts = await this.looseEndCounts();
    const row = buildTurnStat(runs, {
      model: this.ctx.model(),
      wakeFrom: t.wakeFrom,
      resultKind: this.ctx.controls.turnCancelled ? 'cancelled' : t.kind,
      startedAtMs: t.startedAtMs,
      endedAtMs: Date.now(),
      openThreads: counts.questions,
      openReminders: counts.reminders,
      note: t.note,
      ...(t.limitResetsAt !== undefined && { limitResetsAt: t.limitResetsAt }),
    });
    try {
      this.ctx.store.appendTurnStat(row);
    } catch (err) {
      this.ctx.log(`cannot write the stats row locally: ${(err as Error).message}`);
    }
    const sent = await this.ctx.link.call({ cmd: 'turn_stat', row }).catch((err: Error) => ({ ok: false, error: err.message }) as Record<string, unknown>);
    if (!sent.ok) this.ctx.log(`core did not take the stats row: ${String(sent.error ?? 'unknown error')}`);
    return sent.ok === true && sent.paused === true;
  }

  /** Open questions and reminders, read from the core after the turn; zeros when it cannot say. */
  private async looseEndCounts(): Promise<{ questions: number; reminders: number }> {
    try {
      const res = await withTimeout(this.ctx.link.call({ cmd: 'loose_ends' }), 2000);
      if (!res.ok) return { questions: 0, reminders: 0 };
      return {
        questions: Array.isArray(res.questions) ? res.questions.length : 0,
        reminders: Array.isArray(res.reminders) ? res.reminders.length : 0,
      };
    } catch {
      return { questions: 0, reminders: 0 };
    }
  }
}
