// Agent event retention on a real sqlite file: by count, bytes and age, each resume from before the cut a resync.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../store/index.js';
import { AgentEventLog } from './agent-event-log.js';
import { MAX_LIVE_EVENT_BYTES } from '../../protocol/index.js';

function tempDb() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-ret-'));
  return { db: openDatabase(path.join(dir, 'store.sqlite')), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

test('big events are stored capped, and an agent\'s stream stays within its bytes', () => {
  const { db, cleanup } = tempDb();
  try {
    const log = new AgentEventLog(db, { maxEvents: 50_000, maxBytes: 1024 * 1024, maxAgeSeconds: 86_400 });
    for (let i = 0; i < 60; i++) log.append('iris', [{ kind: 'note', text: `${i} ${'x'.repeat(1_000_000)}` }]);
    log.append('damo', [{ kind: 'note', text: 'small' }]);
    const stored = log.stored('iris');
    assert.ok(stored.bytes <= 1024 * 1024, `${stored.bytes} bytes kept`);
    assert.ok(stored.count >= 12 && stored.count < 60, `${stored.count} events kept`);
    const sizes = db.prepare("SELECT bytes, length(CAST(line AS BLOB)) AS real FROM agent_events WHERE agent = 'iris'").all() as { bytes: number; real: number }[];
    for (const s of sizes) {
      assert.equal(s.bytes, s.real, 'the bytes column is the line\'s size');
      assert.ok(s.real <= MAX_LIVE_EVENT_BYTES + 1);
    }
    const newest = JSON.parse(log.history('iris', 1).items[0]!);
    assert.match(newest.text, /^59 x+\[… \d+ bytes cut\]$/);
    assert.equal(log.after('iris', 0, 10_000), null, 'a resume from before the cut is a resync');
    assert.deepEqual(log.stored('damo').count, 1, 'another agent keeps its own');
    const reopened = new AgentEventLog(db, { maxEvents: 50_000, maxBytes: 1024 * 1024, maxAgeSeconds: 86_400 });
    assert.deepEqual(reopened.stored('iris'), log.stored('iris'), 'the totals are read back from the store');
  } finally {
    db.close();
    cleanup();
  }
});

test('by count the stream goes down to 90% of its cap; by age everything older goes', () => {
  const { db, cleanup } = tempDb();
  try {
    const log = new AgentEventLog(db, { maxEvents: 1000, maxBytes: 64 * 1024 * 1024, maxAgeSeconds: 3600 });
    for (let i = 0; i < 11; i++) log.append('iris', Array.from({ length: 100 }, (_, j) => ({ kind: 'note' as const, text: `${i}.${j}` })));
    assert.equal(log.stored('iris').count, 900, 'at 1100 events it was pruned to 90% of its cap of 1000');
    const first = log.history('iris', 1).items[0]!;
    assert.equal(JSON.parse(first).text, '10.99');
    log.sweep(Math.floor(Date.now() / 1000) + 3601);
    assert.equal(log.stored('iris').count, 0, 'an hour later nothing is left');
    assert.deepEqual(log.history('iris', 10).items, []);
  } finally {
    db.close();
    cleanup();
  }
});
