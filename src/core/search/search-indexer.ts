/**
 * Builds the search index from the store: reads the stored live events in
 * seq order, a slice at a time, and writes the words of each slice in one
 * transaction with how far it got, so a crash at any point resumes where the
 * last slice ended and never indexes an event twice. It follows the store's
 * retention: when an agent's stream was cut (or purged) up to a seq, that
 * agent's rows up to it go from the index too. Runs on the index's worker
 * thread (tests drive it directly).
 */
import type { Db } from '../store/index.js';
import { eventTextPieces, indexedText } from './event-text.js';

/**
 * An agent's name as one token of the index's `agent` column. The tokenizer
 * splits words at anything but letters and digits, so every other character
 * (and `x`, the escape itself) is written as `x<hex>x`: `web-dev` is
 * `webx2dxdev`, one word no other name shares.
 */
export function agentToken(name: string): string {
  return name.replace(/[^a-wyz0-9]/g, (c) => `x${c.codePointAt(0)!.toString(16)}x`);
}

/** The FTS5 expression that selects `agent`'s rows. */
export function agentMatch(name: string): string {
  return `agent : "${agentToken(name)}"`;
}

/** Most events read per slice. */
const SLICE_EVENTS = 400;
/** Most characters of text indexed per slice (a slice is one transaction, so this bounds its time). */
const SLICE_CHARS = 1_000_000;

export class SearchIndexer {
  private readonly readEvents;
  private readonly readCuts;
  private readonly insert;
  private readonly deleteThrough;
  private readonly saveThrough;
  private readonly readFollowed;
  private readonly saveFollowed;
  private through: number;

  constructor(
    store: Db,
    private readonly index: Db,
  ) {
    this.readEvents = store.prepare(`SELECT seq, agent, line FROM agent_events WHERE seq > ? ORDER BY seq LIMIT ${SLICE_EVENTS}`);
    this.readCuts = store.prepare("SELECT substr(scope, 7) AS agent, pruned_through AS through FROM retention WHERE scope LIKE 'agent:%'");
    this.insert = index.prepare('INSERT INTO event_text (rowid, text, agent) VALUES (?, ?, ?)');
    // Only rows the index holds are deleted: a contentless table would keep a tombstone for any other.
    this.deleteThrough = index.prepare('DELETE FROM event_text WHERE rowid IN (SELECT rowid FROM event_text WHERE event_text MATCH ? AND rowid <= ?)');
    this.saveThrough = index.prepare('UPDATE index_state SET indexed_through = ? WHERE id = 1');
    this.readFollowed = index.prepare('SELECT agent, through FROM followed_cuts');
    this.saveFollowed = index.prepare('INSERT INTO followed_cuts (agent, through) VALUES (?, ?) ON CONFLICT(agent) DO UPDATE SET through = excluded.through');
    this.through = (index.prepare('SELECT indexed_through AS t FROM index_state WHERE id = 1').get() as { t: number }).t;
  }

  /** Every stored event up to this seq has been indexed. */
  get indexedThrough(): number {
    return this.through;
  }

  /** Index the next slice of stored events; true when there may be more right behind it. */
  indexSlice(): boolean {
    const rows = this.readEvents.all(this.through) as { seq: number; agent: string; line: string }[];
    if (rows.length === 0) return false;
    let chars = 0;
    let last = this.through;
    this.index.transaction(() => {
      for (const row of rows) {
        if (chars > SLICE_CHARS) break;
        last = row.seq;
        let event: unknown;
        try {
          event = JSON.parse(row.line);
        } catch {
          continue; // not an event line: nothing to find it by
        }
        if (typeof event !== 'object' || event === null) continue;
        const text = indexedText(eventTextPieces(event as Record<string, unknown>));
        if (text === '') continue;
        chars += text.length;
        this.insert.run(row.seq, text, agentToken(row.agent));
      }
      this.saveThrough.run(last);
    })();
    this.through = last;
    return rows.length === SLICE_EVENTS || last < rows.at(-1)!.seq;
  }

  /** Drop the rows of events the store's retention (or a purge) has cut since the last look. */
  followRetention(): void {
    const followed = new Map((this.readFollowed.all() as { agent: string; through: number }[]).map((r) => [r.agent, r.through]));
    const moved = (this.readCuts.all() as { agent: string; through: number }[]).filter((cut) => cut.through > (followed.get(cut.agent) ?? 0));
    if (moved.length === 0) return;
    this.index.transaction(() => {
      for (const cut of moved) {
        this.deleteThrough.run(agentMatch(cut.agent), cut.through);
        this.saveFollowed.run(cut.agent, cut.through);
      }
    })();
  }
}
