// The rule book on an in-memory store: config sync keeps ids and counts, runtime rules come and go, expiry, scope,
// hits; the diff the operator is shown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testPorts } from '../testing/service-ports.js';
import { HiveConfig, type PermissionRule } from '../../protocol/index.js';
import { RuleBook } from './rule-book.js';
import { unifiedDiff } from './line-diff.js';

const ctx = { workDir: '/w', home: '/h' };
const bash = (command: string) => ({ tool_name: 'Bash', input: { command } });

function setup(permissions: { allow?: string[]; deny?: string[] } = {}, irisPermissions: { allow?: string[]; deny?: string[] } = {}) {
  const ports = testPorts({ agents: { iris: { permissions: { allow: [], deny: [], ...irisPermissions } }, bob: {} } });
  const book = new RuleBook(ports.work, ports.agents);
  book.syncConfig(HiveConfig.parse({ name: 't', permissions }));
  return { ports, book };
}

test('config rules are seeded for the hive and per agent, and a new sync keeps unchanged ones with their ids and hits', () => {
  const { ports, book } = setup({ allow: ['Bash(npm test:*)'], deny: ['Bash(rm:*)'] }, { allow: ['Edit(src/**)'] });
  const first = book.list();
  assert.deepEqual(first.map((r) => [r.rule, r.effect, r.agent, r.source]), [
    ['Bash(npm test:*)', 'allow', null, 'config'],
    ['Bash(rm:*)', 'deny', null, 'config'],
    ['Edit(src/**)', 'allow', 'iris', 'config'],
  ]);
  assert.equal(book.decide('iris', bash('npm test'), ctx).verdict, 'allow');
  // The same config again, less one rule and with a new one.
  book.syncConfig(HiveConfig.parse({ name: 't', permissions: { allow: ['Bash(npm test:*)', 'Read'] } }));
  const second = book.list();
  const kept = second.find((r) => r.rule === 'Bash(npm test:*)')!;
  assert.equal(kept.id, first[0]!.id);
  assert.equal(kept.hits, 1);
  assert.equal(second.some((r) => r.rule === 'Bash(rm:*)'), false);
  assert.ok(second.some((r) => r.rule === 'Read'));
  const removed = ports.events().filter((e) => e.kind === 'rule_removed').map((e) => (e.rule as PermissionRule).rule);
  assert.deepEqual(removed, ['Bash(rm:*)']);
  // A fresh book over the same store reads the rules back.
  assert.deepEqual(new RuleBook(ports.work, ports.agents).list().map((r) => r.id), second.map((r) => r.id));
});

test("one agent's resync follows its deployed config: new rules added, dropped ones removed, the rest and other agents' kept", () => {
  const { ports, book } = setup({ deny: ['Bash(rm:*)'] }, { allow: ['Edit(src/**)'], deny: ['Bash(curl:*)'] });
  const edit = book.list('iris').find((r) => r.rule === 'Edit(src/**)')!;
  assert.equal(book.decide('iris', { tool_name: 'Edit', input: { file_path: '/w/src/a.ts' } }, ctx).verdict, 'allow');
  const iris = ports.agents.agent('iris')!;
  // What an applied config change leaves in the registry.
  Object.assign(iris, { config: { ...iris.config, permissions: { allow: ['Edit(src/**)'], deny: ['Bash(git push:*)'] } } });
  book.resyncAgent('iris');
  assert.deepEqual(book.list().map((r) => [r.rule, r.effect, r.agent]), [
    ['Bash(rm:*)', 'deny', null],
    ['Edit(src/**)', 'allow', 'iris'],
    ['Bash(git push:*)', 'deny', 'iris'],
  ]);
  const kept = book.get(edit.id)!;
  assert.equal(kept.hits, 1);
  assert.equal(book.decide('iris', bash('git push origin'), ctx).verdict, 'deny');
  assert.equal(book.decide('iris', bash('curl example.org'), ctx).verdict, 'ask');
  assert.equal(book.decide('bob', bash('git push origin'), ctx).verdict, 'ask', "another agent's calls are untouched");
});

test('scope, expiry and deny-over-allow; hits count only the rules that decided', () => {
  const { ports, book } = setup();
  const forBob = book.add({ rule: 'Bash(make:*)', effect: 'allow', agent: 'bob', actor: 'op' });
  assert.ok(!('refused' in forBob));
  assert.equal(book.decide('iris', bash('make'), ctx).verdict, 'ask');
  assert.equal(book.decide('bob', bash('make'), ctx).verdict, 'allow');
  const deny = book.add({ rule: 'Bash(make deploy:*)', effect: 'deny' }) as PermissionRule;
  const verdict = book.decide('bob', bash('make deploy prod'), ctx);
  assert.equal(verdict.verdict, 'deny');
  assert.deepEqual(verdict.verdict === 'deny' && verdict.by.map((r) => r.record.id), [deny.id]);
  assert.equal(book.get(deny.id)!.hits, 1);
  assert.equal(book.get((forBob as PermissionRule).id)!.hits, 1, 'only the allow decision of bob counted');

  const soon = book.add({ rule: 'WebSearch', effect: 'allow', expiresInSeconds: 60 }) as PermissionRule;
  assert.equal(soon.expires_at! - soon.created_at, 60);
  ports.db.prepare('UPDATE permission_rules SET expires_at = 1 WHERE id = ?').run(soon.id);
  (book.get(soon.id) as { expires_at?: number }).expires_at = 1;
  assert.equal(book.decide('iris', { tool_name: 'WebSearch', input: { query: 'x' } }, ctx).verdict, 'ask', 'an expired rule decides nothing');
  book.expireDue();
  assert.equal(book.get(soon.id), undefined);
  assert.ok(ports.events().some((e) => e.kind === 'rule_removed' && e.reason === 'expired'));
  book.stop();
});

test('adding refuses rules that do not parse, unknown agents; removing refuses config rules and unknown ids', () => {
  const { book } = setup({ allow: ['Read'] });
  const bad = book.add({ rule: 'Edit(../x)', effect: 'allow' });
  assert.equal('refused' in bad && bad.code, 'bad_request');
  assert.match((bad as { error: string }).error, /^rule "Edit\(\.\.\/x\)" does not parse: .*climbs/);
  const nobody = book.add({ rule: 'Read', effect: 'allow', agent: 'nobody' });
  assert.equal('refused' in nobody && nobody.code, 'not_found');
  const configRule = book.list()[0]!;
  const refused = book.remove(configRule.id, 'op');
  assert.equal(refused !== true && refused.code, 'conflict');
  const gone = book.remove(999, 'op');
  assert.equal(gone !== true && gone.code, 'not_found');
});

test('a unified diff with context, a change at the top, an insertion and a new file', () => {
  const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'].join('\n') + '\n';
  const after = ['A', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm'].join('\n') + '\n';
  assert.equal(
    unifiedDiff(before, after, 'x.txt'),
    '--- a/x.txt\n+++ b/x.txt\n@@ -1,4 +1,4 @@\n-a\n+A\n b\n c\n d\n@@ -10,3 +10,4 @@\n j\n k\n l\n+m\n',
  );
  assert.equal(unifiedDiff('', 'one\ntwo\n', 'n.md', { created: true }), '--- /dev/null\n+++ b/n.md\n@@ -0,0 +1,2 @@\n+one\n+two\n');
  assert.equal(unifiedDiff('same\n', 'same\n', 'x'), '');
  // Two changes close together share one hunk.
  assert.equal(unifiedDiff('1\n2\n3\n4\n5\n', '1\nX\n3\nY\n5\n', 'y'), '--- a/y\n+++ b/y\n@@ -1,5 +1,5 @@\n 1\n-2\n+X\n 3\n-4\n+Y\n 5\n');
});
