/**
 * The core's resource sampler (the `process` backend's agents): every
 * `resources.sample_seconds` it reads each running harness's process tree
 * from /proc, and it reads one agent's at its turn's start, end and stats
 * row, so even a turn shorter than the period has its peaks. Samples stay in
 * memory and are answered by the `resources` verb; a turn's peaks go into its
 * stats row. Nothing here reaches the dashboard channel.
 */
import fs from 'node:fs';
import type { ResourceSample } from '../../protocol/index.js';
import { ProcReader } from './proc-reader.js';
import { ResourceTracker, type TurnPeaks } from './resource-tracker.js';
import { TICKS_PER_SECOND } from './proc-reader.js';
import { takePage } from '../paging.js';

export interface ResourceSamplerParts {
  /** Whether there is anything to sample (the `process` backend, on a system with /proc). */
  enabled: boolean;
  sampleSeconds: number;
  agentNames(): string[];
  /** The agent's harness pid while it runs. */
  harnessPid(name: string): number | undefined;
  log(message: string): void;
}

/** What the `resources` verb answers. */
export interface ResourcesAnswer {
  sample_seconds: number;
  agents: ResourceSample[];
  /** Some samples did not fit one answer (thousands of agents). */
  more: boolean;
  note?: string;
}

export class ResourceSampler {
  private readonly reader: ProcReader | null;
  private readonly tracker = new ResourceTracker();
  private timer: NodeJS.Timeout | null = null;
  private failing = false;

  constructor(private readonly parts: ResourceSamplerParts) {
    this.reader = parts.enabled && fs.existsSync('/proc/self/stat') ? new ProcReader() : null;
  }

  /** Sample now and every period after. */
  start(): void {
    if (!this.reader) return;
    this.sampleAll();
    this.timer = setInterval(() => this.sampleAll(), this.parts.sampleSeconds * 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One round over every agent. */
  sampleAll(): void {
    if (!this.reader) return;
    try {
      this.reader.beginRound();
      const uptime = readUptimeSeconds();
      const names = new Set(this.parts.agentNames());
      for (const name of this.tracker.names()) if (!names.has(name)) this.tracker.forget(name);
      for (const name of names) this.sampleOne(name, uptime);
      this.failing = false;
    } catch (err) {
      // Say it once, not every few seconds.
      if (!this.failing) this.parts.log(`cannot sample the agents' processes: ${(err as Error).message}`);
      this.failing = true;
    }
  }

  /** A live event batch began a turn: sample, and count peaks from here. */
  turnStarted(name: string): void {
    if (!this.reader) return;
    this.sampleOne(name, readUptimeSeconds());
    this.tracker.turnStarted(name);
  }

  /** A live event batch ended a turn: one more reading for its peaks. */
  turnEnded(name: string): void {
    if (this.reader) this.sampleOne(name, readUptimeSeconds());
  }

  /** The turn's stats row arrived: a last reading, then its peaks (undefined when nothing was sampled). */
  finishTurn(name: string): TurnPeaks | undefined {
    if (!this.reader) return undefined;
    this.sampleOne(name, readUptimeSeconds());
    return this.tracker.finishTurn(name);
  }

  answer(): ResourcesAnswer {
    const page = takePage(this.tracker.samples(), Infinity);
    const answer: ResourcesAnswer = { sample_seconds: this.parts.sampleSeconds, agents: page.items, more: page.more };
    if (!this.reader) answer.note = this.parts.enabled ? 'this system has no /proc to sample' : "resources are sampled under the process backend only";
    return answer;
  }

  private sampleOne(name: string, uptimeSeconds: number): void {
    const pid = this.parts.harnessPid(name);
    const tree = pid === undefined ? null : this.reader!.readTree(pid);
    if (pid === undefined || !tree) {
      this.tracker.forget(name);
      return;
    }
    this.tracker.record(name, {
      ...tree,
      pid,
      monotonicMs: performance.now(),
      wallSeconds: Date.now() / 1000,
      ageSeconds: uptimeSeconds - tree.startTime / TICKS_PER_SECOND,
    });
  }
}

/** Seconds since boot (the first number of /proc/uptime), for a new process's age. */
function readUptimeSeconds(): number {
  try {
    return Number(fs.readFileSync('/proc/uptime', 'latin1').split(' ')[0]);
  } catch {
    return NaN;
  }
}
