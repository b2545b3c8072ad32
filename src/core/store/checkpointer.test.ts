// The WAL is copied back into the database file by the checkpointer's thread, not by the writer: the writer's autocheckpoint is off here, so only the thread can do it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, writeTransaction } from './database.js';
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

test('under commits that never pause, the thread starts the WAL over, so the file is written over instead of growing with every commit', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-ckpt-'));
  const file = path.join(dir, 'store.sqlite');
  const db = openDatabase(file);
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE filler (body TEXT)');
  const insert = db.prepare('INSERT INTO filler (body) VALUES (?)');
  const checkpointer = new Checkpointer(file, () => {}, { everyMs: 20, restartFrames: 64 });
  checkpointer.start();
  let commits = 0;
  const newest = db.prepare('SELECT MAX(rowid) AS id FROM filler');
  /**
   * One commit after another, a turn of the event loop every 50 (so the thread's reports arrive), never a pause.
   * Each reads before it writes, as the core's do: the RESTART's moment with the write lock must make it wait, not fail.
   */
  const commitFor = async (more: () => boolean, each: () => void = () => {}) => {
    while (more()) {
      writeTransaction(db, () => {
        newest.get();
        insert.run('x'.repeat(1000));
      });
      if (++commits % 50 === 0) {
        each();
        await new Promise((r) => setImmediate(r));
      }
    }
  };
  // A WAL started over gets a new header with the next checkpoint sequence number (bytes 12–15): read it from the file.
  const walSequence = () => {
    const fd = fs.openSync(`${file}-wal`, 'r');
    try {
      const header = Buffer.alloc(16);
      return fs.readSync(fd, header, 0, 16, 0) === 16 ? header.readUInt32BE(12) : -1;
    } finally {
      fs.closeSync(fd);
    }
  };
  const firstSequence = walSequence();
  let sequence = firstSequence;
  try {
    const deadline = Date.now() + 60_000;
    await commitFor(
      () => (checkpointer.restarts < 3 || sequence < firstSequence + 3) && Date.now() < deadline,
      () => (sequence = walSequence()),
    );
  } finally {
    await checkpointer.close();
  }
  assert.ok(checkpointer.restarts >= 3, `the thread started the WAL over while commits kept coming (${checkpointer.restarts} times)`);
  assert.ok(sequence >= firstSequence + 3, `the WAL file was written from its start again (header sequence ${firstSequence} → ${sequence})`);
  assert.equal((db.prepare('SELECT COUNT(*) AS n FROM filler').get() as { n: number }).n, commits);
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
