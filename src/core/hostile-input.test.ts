// End-to-end: a few hundred seeded hostile inputs on the host and agent sockets; the daemon answers throughout and nothing is forged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startCore } from '../testing/hive.js';
import { deliver, makeInput } from '../testing/hostile-inputs.js';
import { seededRandom } from '../testing/seeded-random.js';

test('300 hostile inputs: list answers after every 25, the core stays up, the store stays sound, no identity forged', async () => {
  const core = await startCore({ config: { manager: 'boss', agents: { boss: {}, iris: { allowed_recipients: [] } } } });
  try {
    const rand = seededRandom(20_251_122);
    for (let i = 0; i < 300; i++) {
      const onAgent = rand() < 0.4;
      // Agent inputs come from iris's socket; the forgeries among them name boss.
      await deliver(onAgent ? core.agentSocket('iris') : core.hostSocket, makeInput(rand, onAgent), 2000);
      if (i % 25 === 24) assert.deepEqual((await core.request({ cmd: 'list' })).agents, ['boss', 'iris'], `after input ${i}`);
    }
    assert.equal(core.proc.exitCode, null, 'the core is still running');
    assert.deepEqual((await core.request<{ turn_stats: unknown[] }>({ cmd: 'turn_stats', agent: 'boss' })).turn_stats, []);
    const forged = await core.request<{ events: { agent: string; text?: string }[] }>({ cmd: 'agent_events', name: 'boss', limit: 1000 });
    assert.equal(forged.events.filter((e) => e.text === 'as boss').length, 0, 'no event written into boss\'s stream from another socket');
    const db = new Database(path.join(core.stateDir, 'hyperhive.sqlite'), { readonly: true });
    try {
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    } finally {
      db.close();
    }
  } finally {
    await core.cleanup();
  }
});
