// The WAL is copied back into the database file by the checkpointer's thread, not by the writer: the writer's autocheckpoint is off here, so only the thread can do it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from './database.js';
import { Checkpointer } from './checkpointer.js';

async function until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('the checkpointer thread moves committed pages from the WAL into the database file, and stops on close', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-ckpt-'));
  const file = path.join(dir, 'store.sqlite');
  const db = openDatabase(file);
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE filler (body TEXT)');
  const before = fs.statSync(file).size;
  const insert = db.prepare('INSERT INTO filler (body) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < 2000; i++) insert.run('x'.repeat(1000));
  })();
  // Nothing has copied the pages yet: they are only in the WAL.
  assert.equal(fs.statSync(file).size, before);
  const logged: string[] = [];
  const checkpointer = new Checkpointer(file, (m) => logged.push(m));
  checkpointer.start();
  try {
    await until(() => fs.statSync(file).size > before + 1_000_000, 'the database file to take the WAL pages');
  } finally {
    await checkpointer.close();
  }
  assert.deepEqual(logged, []);
  // The writer goes on after the thread is gone, and the data reads back whole.
  assert.equal((db.prepare('SELECT COUNT(*) AS n FROM filler').get() as { n: number }).n, 2000);
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('under commits that never pause, the thread starts the WAL over, so the file stays small instead of growing with every commit', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-ckpt-'));
  const file = path.join(dir, 'store.sqlite');
  const db = openDatabase(file);
  db.pragma('wal_autocheckpoint = 0');
  // A WAL started over is cut back to this, so its size shows what it holds now.
  db.pragma(`journal_size_limit = ${4 * 1024 * 1024}`);
  db.exec('CREATE TABLE filler (body TEXT)');
  const insert = db.prepare('INSERT INTO filler (body) VALUES (?)');
  const checkpointer = new Checkpointer(file, () => {}, { everyMs: 20, restartFrames: 64 });
  checkpointer.start();
  let commits = 0;
  /** One commit after another, a turn of the event loop every 50 (so the thread's reports arrive), never a pause. */
  const commitFor = async (more: () => boolean, each: () => void = () => {}) => {
    while (more()) {
      insert.run('x'.repeat(1000));
      if (++commits % 50 === 0) {
        each();
        await new Promise((r) => setImmediate(r));
      }
    }
  };
  let largest = 0;
  try {
    // The thread is up once it has started the WAL over a first time.
    const deadline = Date.now() + 20_000;
    await commitFor(() => checkpointer.restarts === 0 && Date.now() < deadline);
    assert.ok(checkpointer.restarts > 0, 'the WAL was started over while commits kept coming');
    // Then 40,000 more commits: over 300 MB of WAL if it were never started over.
    const until = commits + 40_000;
    await commitFor(
      () => commits < until,
      () => (largest = Math.max(largest, fs.statSync(`${file}-wal`).size)),
    );
  } finally {
    await checkpointer.close();
  }
  assert.ok(largest < 48 * 1024 * 1024, `the WAL stayed under 48 MiB (largest ${(largest / 1048576).toFixed(1)} MiB)`);
  assert.equal((db.prepare('SELECT COUNT(*) AS n FROM filler').get() as { n: number }).n, commits);
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
