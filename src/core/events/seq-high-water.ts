/**
 * The highest `seq` a channel ever handed out, kept in the store beside the
 * events so that no deletion (a purged agent's stream, retention) can make a
 * restarted core hand the same seq out again: clients dedupe by seq, so a
 * reused one would be silently dropped.
 */
import type { Db } from '../store/index.js';

export type SeqChannel = 'dashboard' | 'agent_events';

export class SeqHighWater {
  private readonly save;

  constructor(
    private readonly db: Db,
    private readonly channel: SeqChannel,
  ) {
    this.save = db.prepare('INSERT INTO seq_high_water (channel, seq) VALUES (?, ?) ON CONFLICT(channel) DO UPDATE SET seq = excluded.seq');
  }

  /** Where the channel resumes: past both the newest stored event and the mark. */
  resumeAfter(newestStored: number): number {
    const row = this.db.prepare('SELECT seq FROM seq_high_water WHERE channel = ?').get(this.channel) as { seq: number } | undefined;
    return Math.max(newestStored, row?.seq ?? 0);
  }

  /** Record `seq` as handed out; call inside the transaction that stores the event. */
  record(seq: number): void {
    this.save.run(this.channel, seq);
  }
}
