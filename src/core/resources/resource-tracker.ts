/**
 * From tree readings to what the operator sees: CPU percent over the time
 * since the previous reading of the same harness, RSS, and the peaks of the
 * running turn. Pure: readings and times come in, samples come out.
 */
import type { ResourceSample } from '../../protocol/index.js';
import { TICKS_PER_SECOND, type TreeReading } from './proc-reader.js';

/** One reading of an agent's harness tree, and when it was taken. */
export interface AgentReading extends TreeReading {
  pid: number;
  /** A monotonic clock, for the CPU rate. */
  monotonicMs: number;
  /** Unix seconds, for the sample's `sampled_at`. */
  wallSeconds: number;
  /** Seconds the process had been running when read (for a first reading's rate, its lifetime average). */
  ageSeconds: number;
}

interface AgentTrack {
  last: AgentReading;
  sample: ResourceSample;
  /** Peaks since the running turn began; null between turns. */
  turn: { cpu: number; rss: number } | null;
}

/** The peaks of one turn, as a stats row carries them. */
export interface TurnPeaks {
  peak_cpu_percent: number;
  peak_rss_bytes: number;
}

export class ResourceTracker {
  private readonly tracks = new Map<string, AgentTrack>();

  /** Fold a reading in; returns the agent's new sample. */
  record(name: string, reading: AgentReading): ResourceSample {
    const previous = this.tracks.get(name);
    const sameProcess = previous && previous.last.pid === reading.pid && previous.last.startTime === reading.startTime;
    const cpu = sameProcess ? cpuPercent(previous.last, reading) : lifetimeCpuPercent(reading);
    const turn = sameProcess ? previous.turn : null;
    const peaks = turn && { cpu: Math.max(turn.cpu, cpu), rss: Math.max(turn.rss, reading.rssBytes) };
    const sample: ResourceSample = {
      name,
      pid: reading.pid,
      cpu_percent: round1(cpu),
      rss_bytes: reading.rssBytes,
      processes: reading.processes,
      sampled_at: Math.floor(reading.wallSeconds),
    };
    if (peaks) {
      sample.turn_peak_cpu_percent = round1(peaks.cpu);
      sample.turn_peak_rss_bytes = peaks.rss;
    }
    this.tracks.set(name, { last: reading, sample, turn: peaks });
    return sample;
  }

  /** A turn began: peaks count from the reading just recorded (its CPU was spent before the turn; its RSS is the turn's first). */
  turnStarted(name: string): void {
    const track = this.tracks.get(name);
    if (track) track.turn = { cpu: 0, rss: track.last.rssBytes };
  }

  /** The turn's stats arrived: its peaks, and none until the next turn begins. */
  finishTurn(name: string): TurnPeaks | undefined {
    const track = this.tracks.get(name);
    const turn = track?.turn;
    if (!track || !turn) return undefined;
    track.turn = null;
    const { turn_peak_cpu_percent: _cpu, turn_peak_rss_bytes: _rss, ...between } = track.sample;
    track.sample = between;
    return { peak_cpu_percent: round1(turn.cpu), peak_rss_bytes: turn.rss };
  }

  /** The harness is gone (stopped, or its agent removed). */
  forget(name: string): void {
    this.tracks.delete(name);
  }

  /** The agents tracked. */
  names(): string[] {
    return [...this.tracks.keys()];
  }

  /** Every agent's latest sample, by name. */
  samples(): ResourceSample[] {
    return [...this.tracks.keys()].sort().map((name) => this.tracks.get(name)!.sample);
  }
}

function cpuPercent(before: AgentReading, after: AgentReading): number {
  const seconds = (after.monotonicMs - before.monotonicMs) / 1000;
  // A process that left the tree unreaped takes its ticks along: the tree's total may drop; that interval reads 0.
  if (seconds <= 0 || after.ticks < before.ticks) return 0;
  return ((after.ticks - before.ticks) / TICKS_PER_SECOND / seconds) * 100;
}

function lifetimeCpuPercent(reading: AgentReading): number {
  return reading.ageSeconds > 0 ? (reading.ticks / TICKS_PER_SECOND / reading.ageSeconds) * 100 : 0;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
