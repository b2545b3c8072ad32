// End-to-end: with 300 messages of 60 KiB in the operator inbox, the ctl's watch, inbox and pending still work.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { entries, startCore, waitFor, type RunningCore } from '../testing/hive.js';
import { floodOperator } from '../testing/flood.js';

let core: RunningCore;
before(async () => {
  core = await startCore({ config: { agents: { iris: {} } } });
  await floodOperator(core, 'iris');
});
after(async () => {
  await core.cleanup();
});

test('watch subscribes through the flood and prints what comes next', async () => {
  const child = spawn(process.execPath, [entries.ctl, 'watch', '--kinds', 'operator_message'], { env: { ...process.env, HYPERHIVE_SOCKET: core.hostSocket }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  try {
    // The ack comes first; a message sent until the watch prints it proves the subscription is live.
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`watch exited ${child.exitCode}: ${err}`);
      await core.agentRequest('iris', { cmd: 'send', to: 'operator', body: 'after the flood' });
      return out.includes('after the flood');
    }, { timeoutMs: 20_000, intervalMs: 300, what: 'watch to print the new message' });
    assert.doesNotMatch(err, /refused|could not be read|skipped/);
  } finally {
    child.kill('SIGINT');
  }
});

test('inbox shows the newest messages that fit and says how to page on; --before pages on', () => {
  const env = { ...process.env, HYPERHIVE_SOCKET: core.hostSocket };
  const inbox = spawnSync(process.execPath, [entries.ctl, 'inbox', '--limit', '1000'], { env, encoding: 'utf8' });
  assert.equal(inbox.status, 0, inbox.stderr);
  const hint = /older ones: hyperhive inbox --before (\d+)$/.exec(inbox.stdout.trimEnd());
  assert.ok(hint, inbox.stdout.slice(-300));
  const older = spawnSync(process.execPath, [entries.ctl, '--json', 'inbox', '--limit', '1000', '--before', hint[1]!], { env, encoding: 'utf8' });
  assert.equal(older.status, 0, older.stderr);
  const page = JSON.parse(older.stdout) as { messages: { id: number }[]; more: boolean };
  assert.ok(page.messages.length > 0 && page.messages.every((m) => m.id < Number(hint[1])));
  const pending = spawnSync(process.execPath, [entries.ctl, '--json', 'pending'], { env, encoding: 'utf8' });
  assert.equal(pending.status, 0, pending.stderr);
});
