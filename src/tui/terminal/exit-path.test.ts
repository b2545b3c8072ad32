import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { installExitPath } from './exit-path.js';

function fakeProcess() {
  const events: string[] = [];
  const proc = Object.assign(new EventEmitter(), {
    exit: (code: number) => void events.push(`exit ${code}`),
    stderr: { write: (text: string) => void events.push(`stderr ${text.split('\n')[0]}`) },
    stdout: new EventEmitter(),
  });
  installExitPath(proc, () => events.push('restore'));
  return { proc, events };
}

test('an uncaught error is printed after the terminal is restored, and exits 1', () => {
  const { proc, events } = fakeProcess();
  proc.emit('uncaughtException', new Error('boom'));
  assert.deepEqual(events, ['restore', 'stderr hyperhive-tui: Error: boom', 'exit 1']);
  proc.emit('SIGTERM');
  assert.equal(events.length, 3, 'the exit path runs once');
});

test('signals restore the terminal and exit with 128 + the signal number', () => {
  for (const [signal, code] of [['SIGTERM', 143], ['SIGHUP', 129], ['SIGINT', 130]] as const) {
    const { proc, events } = fakeProcess();
    proc.emit(signal);
    assert.deepEqual(events, ['restore', `exit ${code}`]);
  }
});

test('a rejected promise nobody handled, and a terminal that went away, end the console the same way', () => {
  const a = fakeProcess();
  a.proc.emit('unhandledRejection', 'lost');
  assert.deepEqual(a.events, ['restore', 'stderr hyperhive-tui: lost', 'exit 1']);
  const b = fakeProcess();
  b.proc.stdout.emit('error', new Error('EIO'));
  assert.deepEqual(b.events, ['restore', 'exit 1']);
});
