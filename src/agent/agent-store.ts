/** The agent's own sqlite file: its live-event history (capped) and its per-turn stats rows. */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { TurnStatInput } from '../protocol/index.js';
import type { StampedEvent } from './sinks/sink.js';

/** Default number of live events kept in the local history. */
export const DEFAULT_HISTORY_CAP = 50_000;

/** One owner of `<state-dir>/agent.sqlite`. */
export class AgentStore {
  readonly db: Database.Database;
  private readonly insertEvent: Database.Statement;
  private readonly insertStat: Database.Statement;
  private readonly trimEvents: Database.Statement;

  constructor(file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    // Incremental auto-vacuum must be chosen before the first table exists.
    this.db.pragma('auto_vacuum = INCREMENTAL');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, ts_ms INTEGER NOT NULL, kind TEXT NOT NULL, json TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS turn_stats (id INTEGER PRIMARY KEY, json TEXT NOT NULL, ended_at REAL NOT NULL);
    `);
    this.insertEvent = this.db.prepare('INSERT INTO events (ts_ms, kind, json) VALUES (?, ?, ?)');
    this.insertStat = this.db.prepare('INSERT INTO turn_stats (json, ended_at) VALUES (?, ?)');
    this.trimEvents = this.db.prepare('DELETE FROM events WHERE id <= (SELECT MAX(id) FROM events) - ?');
  }

  /** Append a batch of events in one transaction. */
  appendEvents(events: readonly StampedEvent[]): void {
    this.db.transaction((batch: readonly StampedEvent[]) => {
      for (const e of batch) this.insertEvent.run(e.ts_ms, e.kind, JSON.stringify(e));
    })(events);
  }

  /** Drop all but the newest `cap` events; returns how many went. */
  trimHistory(cap: number): number {
    return this.trimEvents.run(cap).changes;
  }

  /** Give freed pages back to the file system. */
  vacuum(): void {
    this.db.pragma('incremental_vacuum');
  }

  eventCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
  }

  /** Newest events first. */
  recentEvents(limit: number): StampedEvent[] {
    return (this.db.prepare('SELECT json FROM events ORDER BY id DESC LIMIT ?').all(limit) as { json: string }[]).map((r) => JSON.parse(r.json));
  }

  appendTurnStat(row: TurnStatInput): void {
    this.insertStat.run(JSON.stringify(row), row.ended_at);
  }

  /** Newest stats rows first. */
  turnStats(limit = 100): TurnStatInput[] {
    return (this.db.prepare('SELECT json FROM turn_stats ORDER BY id DESC LIMIT ?').all(limit) as { json: string }[]).map((r) => JSON.parse(r.json));
  }

  close(): void {
    this.db.close();
  }
}
