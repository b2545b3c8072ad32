// The unit of work: state, dashboard events and audit commit together; after-commit work runs only on commit;
// a commit takes the write lock at its start, so another connection holding it makes it wait, not fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testPorts } from './testing/service-ports.js';

const require = createRequire(import.meta.url);

test('nested commits join the outer transaction; after-commit work runs once it commits, in order', () => {
  const { work, dashboard, events } = testPorts();
  const ran: string[] = [];
  work.commit(() => {
    work.announce('agent_removed', { name: 'a' });
    work.afterCommit(() => ran.push('outer'));
    work.commit(() => {
      work.announce('agent_removed', { name: 'b' });
      work.afterCommit(() => ran.push('inner'));
    });
    assert.deepEqual(ran, [], 'nothing runs before the outermost commit');
  });
  assert.deepEqual(ran, ['outer', 'inner']);
  assert.deepEqual(events().map((e) => e.name), ['a', 'b']);
  assert.equal(dashboard.currentSeq, 2);
  work.afterCommit(() => ran.push('now'));
  assert.deepEqual(ran, ['outer', 'inner', 'now'], 'outside a transaction it runs at once');
});

test('a rollback undoes state, events and audit, gives the seqs back and drops after-commit work', () => {
  const { db, work, dashboard, events, audits } = testPorts();
  const ran: string[] = [];
  assert.throws(
    () =>
      work.commit(() => {
        db.prepare("INSERT INTO reminders (agent, message, due_at, created_at) VALUES ('a', 'm', 1, 1)").run();
        work.announce('agent_removed', { name: 'gone' });
        work.audit('op', 'destroy', 'a');
        work.afterCommit(() => ran.push('never'));
        throw new Error('boom');
      }),
    /boom/,
  );
  assert.equal((db.prepare('SELECT COUNT(*) AS n FROM reminders').get() as { n: number }).n, 0);
  assert.deepEqual(events(), []);
  assert.deepEqual(audits(), []);
  assert.equal(dashboard.currentSeq, 0);
  work.commit(() => work.afterCommit(() => ran.push('next')));
  assert.deepEqual(ran, ['next'], 'the dropped work does not run with the next commit');
  work.commit(() => work.announce('agent_removed', { name: 'kept' }));
  assert.deepEqual(events().map((e) => [e.seq, e.name]), [[1, 'kept']]);
});

test('a commit that reads before it writes waits for a write lock another connection holds, instead of failing with "database is locked"', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-uow-'));
  const file = path.join(dir, 'store.sqlite');
  const { db, work } = testPorts({ file });
  // Another process takes the write lock (as the checkpoint thread does when it starts the WAL over) and keeps it 300 ms.
  const holder = spawn(
    process.execPath,
    ['-e', `const db = new (require(${JSON.stringify(require.resolve('better-sqlite3'))}))(${JSON.stringify(file)}); db.exec('BEGIN IMMEDIATE'); console.log('locked'); setTimeout(() => { db.exec('COMMIT'); db.close(); }, 300);`],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    await new Promise<void>((resolve, reject) => {
      holder.stdout!.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
      holder.once('exit', (code) => reject(new Error(`the lock holder exited with ${code} before taking the lock`)));
    });
    const id = work.commit(() => {
      const before = (db.prepare('SELECT COUNT(*) AS n FROM reminders').get() as { n: number }).n;
      db.prepare("INSERT INTO reminders (agent, message, due_at, created_at) VALUES ('a', 'm', 1, 1)").run();
      work.announce('agent_removed', { name: 'a' });
      return before;
    });
    assert.equal(id, 0);
    assert.equal((db.prepare('SELECT COUNT(*) AS n FROM reminders').get() as { n: number }).n, 1);
  } finally {
    holder.kill();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
