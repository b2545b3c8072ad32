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

test('inbox and pending answer with the newest messages and say the rest pages', () => {
  const env = { ...process.env, HYPERHIVE_SOCKET: core.hostSocket };
  const inbox = spawnSync(process.execPath, [entries.ctl, 'inbox'], { env, encoding: 'utf8' });
  assert.equal(inbox.status, 0, inbox.stderr);
  assert.match(inbox.stdout, /iris/);
  const pending = spawnSync(process.execPath, [entries.ctl, '--json', 'pending'], { env, encoding: 'utf8' });
  assert.equal(pending.status, 0, pending.stderr);
});
