import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../store/index.js';
import { AgentEventLog } from './agent-event-log.js';
import { DashboardChannel } from './dashboard-channel.js';

test('neither channel hands a seq out twice, even after every stored event is deleted and the store reopened', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-seq-'));
  const file = path.join(dir, 'hive.sqlite');
  try {
    let db = openDatabase(file);
    const log = new AgentEventLog(db);
    log.append('iris', [{ kind: 'note', text: 'a' }]);
    const newest = log.append('bob', [{ kind: 'note', text: 'b' }, { kind: 'note', text: 'c' }]);
    log.purge('bob');
    const dash = new DashboardChannel(db);
    db.transaction(() => {
      for (let i = 0; i < 3; i++) dash.append('agent_removed', { name: `a${i}` });
    })();
    dash.flush();
    const dashNewest = dash.currentSeq;
    db.prepare('DELETE FROM dashboard_events').run();
    db.close();

    db = openDatabase(file);
    const log2 = new AgentEventLog(db);
    assert.equal(log2.currentSeq, newest.lastSeq, 'the purged agent\'s seqs are not handed out again');
    assert.equal(log2.append('iris', [{ kind: 'note', text: 'd' }]).firstSeq, newest.lastSeq + 1);
    const dash2 = new DashboardChannel(db);
    assert.equal(dash2.currentSeq, dashNewest);
    assert.equal(db.transaction(() => dash2.append('agent_removed', { name: 'z' }))(), dashNewest + 1);
    db.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a store from before the high-water mark starts from its newest stored event', () => {
  const db = openDatabase(':memory:');
  db.prepare("INSERT INTO agent_events (seq, agent, kind, line) VALUES (41, 'iris', 'note', '{}\n')").run();
  db.prepare('DELETE FROM seq_high_water').run();
  assert.equal(new AgentEventLog(db).currentSeq, 41);
});
