// The unit of work: state, dashboard events and audit commit together; after-commit work runs only on commit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testPorts } from './testing/service-ports.js';

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
