import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { checkPrivateDir, ensurePrivateDir } from './private-dir.js';
import { writeFileAtomic } from './atomic-file.js';
import { describeStoreError } from './fs-error.js';
import { lockDirectory } from './instance-lock.js';
import { fillDisk, smallTmpfs } from '../../testing/disk.js';

const isRoot = process.getuid?.() === 0;
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'hh-disk-'));

test('a trusted dir is a real directory of ours that no one else may write', () => {
  const dir = tmp();
  try {
    const ok = path.join(dir, 'ok');
    ensurePrivateDir(ok, 0o750);
    assert.equal(fs.statSync(ok).mode & 0o777, 0o750);
    assert.equal(checkPrivateDir(ok), null);
    assert.equal(checkPrivateDir(path.join(dir, 'absent')), null, 'an absent dir is no problem (it will be created)');

    fs.symlinkSync(ok, path.join(dir, 'link'));
    assert.match(checkPrivateDir(path.join(dir, 'link'))!, /link is a symbolic link/);
    assert.throws(() => ensurePrivateDir(path.join(dir, 'link'), 0o750), /is a symbolic link/);

    fs.writeFileSync(path.join(dir, 'file'), '');
    assert.match(checkPrivateDir(path.join(dir, 'file'))!, /is not a directory/);

    fs.mkdirSync(path.join(dir, 'open'));
    fs.chmodSync(path.join(dir, 'open'), 0o777);
    assert.match(checkPrivateDir(path.join(dir, 'open'))!, /writable by everyone \(mode 0777\); run chmod go-w/);
    fs.chmodSync(path.join(dir, 'open'), 0o775);
    assert.match(checkPrivateDir(path.join(dir, 'open'))!, /writable by its group \(mode 0775\)/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a dir owned by another user is refused', { skip: isRoot ? false : 'needs root to give a directory to another uid' }, () => {
  const dir = tmp();
  try {
    const theirs = path.join(dir, 'theirs');
    fs.mkdirSync(theirs, { mode: 0o755 });
    fs.chownSync(theirs, 65534, 65534);
    assert.match(checkPrivateDir(theirs)!, /belongs to uid 65534, not to this user \(uid 0\) or root/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('writeFileAtomic replaces a link at the destination instead of writing through it', () => {
  const dir = tmp();
  try {
    const target = path.join(dir, 'target');
    fs.writeFileSync(target, 'precious');
    const file = path.join(dir, 'marker');
    fs.symlinkSync(target, file);
    writeFileAtomic(file, 'mine\n');
    assert.equal(fs.readFileSync(target, 'utf8'), 'precious');
    assert.equal(fs.lstatSync(file).isSymbolicLink(), false);
    assert.equal(fs.readFileSync(file, 'utf8'), 'mine\n');
    assert.deepEqual(fs.readdirSync(dir).sort(), ['marker', 'target'], 'no temp file left');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('writeFileAtomic on a full disk leaves the old file and no temp file, and says why and where', (t) => {
  const disk = smallTmpfs(256);
  if (!disk) return t.skip('needs root to mount a small tmpfs');
  try {
    const file = path.join(disk.dir, 'paused');
    fillDisk(disk.dir);
    assert.throws(() => writeFileAtomic(file, 'x'.repeat(10_000)), (err: Error) => err.message === `no space left on device at ${file}`);
    assert.equal(fs.existsSync(file), false, 'no empty marker');
    assert.deepEqual(fs.readdirSync(disk.dir), ['filler']);
  } finally {
    disk.unmount();
  }
});

test('store errors name the cause and the file', () => {
  const file = '/var/lib/hyperhive/hyperhive.sqlite';
  const err = (code: string, message: string) => Object.assign(new Error(message), { code });
  assert.equal(describeStoreError(err('SQLITE_FULL', 'database or disk is full'), file, 1e9), `no space left on device at ${file}`);
  assert.equal(describeStoreError(err('SQLITE_IOERR_WRITE', 'disk I/O error'), file, 0), `no space left on device at ${file}`);
  assert.equal(describeStoreError(err('SQLITE_IOERR_WRITE', 'disk I/O error'), file, 1e9), `disk I/O error at ${file}`);
  assert.equal(describeStoreError(err('SQLITE_NOTADB', 'file is not a database'), file, 0), `the file is damaged or is not a hyperhive store at ${file}`);
  assert.equal(describeStoreError(new Error('the store is at schema version 9'), file, 0), `the store is at schema version 9 at ${file}`);
});

// A child process that takes the lock on a dir, says so, and holds it until killed.
const HOLDER = `
import { lockDirectory } from ${JSON.stringify(path.join(path.dirname(fileURLToPath(import.meta.url)), 'instance-lock.js'))};
const held = lockDirectory(process.argv[2], { pid: process.pid, runtime_dir: 'R', state_dir: 'S', started_at: 'now' });
process.stdout.write(('busy' in held ? 'busy' : 'held') + '\\n');
setInterval(() => {}, 1000);
`;

test('the directory lock: one holder at a time, named to the loser, freed by the kernel on kill -9', async () => {
  const dir = tmp();
  const script = path.join(dir, 'holder.mjs');
  fs.writeFileSync(script, HOLDER);
  const child = spawn(process.execPath, [script, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const said = await new Promise<string>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())));
    assert.equal(said, 'held');
    const owner = { pid: process.pid, runtime_dir: 'mine', state_dir: 'mine', started_at: 'now' };
    const busy = lockDirectory(dir, owner);
    assert.ok('busy' in busy);
    assert.equal(busy.owner?.pid, child.pid);
    assert.equal(busy.owner?.runtime_dir, 'R');
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const held = lockDirectory(dir, owner);
    assert.ok(!('busy' in held), 'a dead holder leaves nothing behind that blocks');
    assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'core.owner'), 'utf8')).pid, process.pid);
    held.release();
    assert.equal(fs.existsSync(path.join(dir, 'core.owner')), false);
    assert.equal(fs.statSync(path.join(dir, 'core.lock')).size, 0, 'nothing is ever written to the lock file');
  } finally {
    child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
