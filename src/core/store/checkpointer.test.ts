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
