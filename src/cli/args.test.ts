import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs } from './args.js';
import { parseSince } from './arg-values.js';
import type { Command } from './command.js';

function command(...argv: string[]): Command {
  const parsed = parseArgs(argv);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  return parsed.invocation.command;
}

function usageError(...argv: string[]): string {
  const parsed = parseArgs(argv);
  assert.equal(parsed.ok, false, `expected a usage error for ${JSON.stringify(argv)}`);
  return (parsed as { error: string }).error;
}

test('every command parses into its typed form', () => {
  assert.deepEqual(command('status'), { verb: 'status' });
  assert.deepEqual(command('questions'), { verb: 'questions', all: false });
  assert.deepEqual(command('questions', '--all'), { verb: 'questions', all: true });
  assert.deepEqual(command('approval', '7'), { verb: 'approval', id: 7 });
  assert.deepEqual(command('approve', '#7'), { verb: 'approve', id: 7, supersede: false });
  assert.deepEqual(command('approve', '9', '--supersede'), { verb: 'approve', id: 9, supersede: true });
  assert.deepEqual(command('diff', 'iris'), { verb: 'diff', agent: 'iris' });
  assert.deepEqual(command('kept'), { verb: 'kept' });
  assert.deepEqual(command('revive', 'scout', '--description', 'back again'), { verb: 'revive', name: 'scout', description: 'back again' });
  assert.deepEqual(command('purge', 'scout'), { verb: 'purge', name: 'scout', yes: false });
  assert.deepEqual(command('purge', 'scout', '--yes'), { verb: 'purge', name: 'scout', yes: true });
  assert.deepEqual(command('destroy', 'scout'), { verb: 'destroy', agent: 'scout', purge: false, yes: false });
  assert.deepEqual(command('destroy', 'scout', '--purge', '--yes'), { verb: 'destroy', agent: 'scout', purge: true, yes: true });
  assert.deepEqual(command('deny', '3', '--note', 'not now'), { verb: 'deny', id: 3, note: 'not now' });
  assert.deepEqual(command('deny', '--note=nope', '3'), { verb: 'deny', id: 3, note: 'nope' });
  assert.deepEqual(command('answer', '4', 'yes,', 'ship', 'it'), { verb: 'answer', id: 4, text: 'yes, ship it' });
  assert.deepEqual(command('send', 'iris', '--', '-v', 'is', 'a', 'flag'), { verb: 'send', agent: 'iris', text: '-v is a flag' });
  assert.deepEqual(command('send', 'iris', '-'), { verb: 'send', agent: 'iris', text: '-' });
  assert.deepEqual(command('send', '*', 'all', 'hands'), { verb: 'send', agent: '*', text: 'all hands' });
  assert.deepEqual(command('stats', '--agent', 'iris', '--limit', '5'), { verb: 'stats', agent: 'iris', limit: 5 });
  assert.deepEqual(command('stats', 'iris'), { verb: 'stats', agent: 'iris' });
  assert.deepEqual(command('pause', 'iris'), { verb: 'pause', agent: 'iris' });
  assert.deepEqual(command('start', 'a', 'b'), { verb: 'start', agents: ['a', 'b'] });
  assert.deepEqual(command('stop', '--all', '--force'), { verb: 'stop', agents: 'all', force: true });
  assert.deepEqual(command('control', 'iris', 'set-model', 'opus'), { verb: 'control', agent: 'iris', action: 'set-model', model: 'opus' });
  assert.deepEqual(command('control', 'iris', 'cancel-turn'), { verb: 'control', agent: 'iris', action: 'cancel-turn' });
  assert.deepEqual(command('watch', '--kinds', 'sent,approval_added', '--since', '40'), { verb: 'watch', kinds: ['sent', 'approval_added'], since: 40 });
  assert.deepEqual(command('inbox', '--mark-read'), { verb: 'inbox', markRead: true });
  assert.deepEqual(command('spawn', 'scout', '--description', 'for the docs'), { verb: 'spawn', name: 'scout', description: 'for the docs' });
  assert.deepEqual(command('approve', 'toolu_01AbC'), { verb: 'approve', toolUseId: 'toolu_01AbC' });
  assert.deepEqual(command('deny', 'toolu_01AbC', '--note', 'not on main'), { verb: 'deny', toolUseId: 'toolu_01AbC', note: 'not on main' });
  assert.deepEqual(command('rules'), { verb: 'rules' });
  assert.deepEqual(command('rules', '--agent', 'iris'), { verb: 'rules', agent: 'iris' });
  assert.deepEqual(command('rule', 'add', 'allow', 'Bash(npm test:*)'), { verb: 'rule', action: 'add', effect: 'allow', rule: 'Bash(npm test:*)' });
  assert.deepEqual(command('rule', 'add', 'deny', 'Bash(git', 'push:*)', '--agent', 'iris', '--for', '8h'), {
    verb: 'rule', action: 'add', effect: 'deny', rule: 'Bash(git push:*)', agent: 'iris', forSeconds: 8 * 3600,
  });
  assert.deepEqual(command('rule', 'rm', '#9'), { verb: 'rule', action: 'rm', id: 9 });
  assert.deepEqual(command(), { verb: 'help' });
  assert.deepEqual(command('pending', '--help'), { verb: 'help' });
  assert.deepEqual(command('--version'), { verb: 'version' });
});

test('global options anywhere on the line', () => {
  const parsed = parseArgs(['--json', 'pending', '--socket', '/tmp/x.sock']);
  assert.ok(parsed.ok);
  assert.equal(parsed.invocation.json, true);
  assert.equal(parsed.invocation.socket, '/tmp/x.sock');
  const plain = parseArgs(['pending']);
  assert.ok(plain.ok);
  assert.equal(plain.invocation.json, false);
  assert.equal(plain.invocation.socket, undefined);
});

test('bad command lines are usage errors that say what is wrong', () => {
  assert.match(usageError('frobnicate'), /unknown command "frobnicate"/);
  assert.match(usageError('approve'), /missing approval id/);
  assert.match(usageError('diff'), /missing agent name/);
  assert.match(usageError('diff', 'Bad Name'), /agent name/);
  assert.match(usageError('purge', 'a', 'b'), /unexpected "b"/);
  assert.match(usageError('kept', '--yes'), /--yes does not apply to kept/);
  assert.match(usageError('destroy', 'x', '--yes'), /--yes goes with --purge/);
  assert.match(usageError('approve', 'seven'), /non-negative integer/);
  assert.match(usageError('approve', '-1'), /unknown option/);
  assert.match(usageError('approve', '1', '2'), /unexpected "2"/);
  assert.match(usageError('send', 'Iris', 'hi'), /may only use a-z/);
  assert.match(usageError('send', '../etc', 'hi'), /may only use/);
  assert.match(usageError('send', 'iris'), /missing message text/);
  assert.match(usageError('send', 'iris', '  '), /must not be empty/);
  assert.match(usageError('pause'), /missing agent name/);
  assert.match(usageError('pause', 'operator'), /reserved/);
  assert.match(usageError('deny', '1', '--note'), /--note needs a value/);
  assert.match(usageError('approve', '1', '--note', 'x'), /--note does not apply to approve/);
  assert.match(usageError('status', '--bogus'), /unknown option --bogus/);
  assert.match(usageError('status', '--json=1'), /takes no value/);
  assert.match(usageError('control', 'iris', 'explode'), /unknown action "explode"/);
  assert.match(usageError('control', 'iris', 'set-model'), /needs a model name/);
  assert.match(usageError('start'), /missing agent name/);
  assert.match(usageError('start', '--all', 'iris'), /not both/);
  assert.match(usageError('stats', '--limit', '0'), /positive integer/);
  assert.match(usageError('watch', '--kinds', ','), /at least one/);
  assert.match(usageError('--socket', '', 'status'), /needs a path/);
  assert.match(usageError('rule'), /missing rule action: add or rm/);
  assert.match(usageError('rule', 'edit', '3'), /unknown rule action "edit"; expected add or rm/);
  assert.match(usageError('rule', 'add', 'maybe', 'Bash'), /the effect is allow or deny, not "maybe"/);
  assert.match(usageError('rule', 'add', 'allow'), /missing rule \(quote it/);
  assert.match(usageError('rule', 'add', 'allow', 'Bash', '--for', 'soon'), /--for takes a duration like 30m, 8h or 7d/);
  assert.match(usageError('rule', 'add', 'allow', 'Bash', '--for', '400d'), /at most 366d/);
  assert.match(usageError('rule', 'rm', '3', '--agent', 'iris'), /rule rm takes only the rule id/);
  assert.match(usageError('rule', 'rm', 'x'), /rule id must be a non-negative integer/);
  assert.match(usageError('rules', '--agent', 'Iris'), /may only use a-z/);
  assert.match(usageError('approve', 'toolu_'), /non-negative integer/);
  assert.match(usageError('approve', 'toolu_01AbC', '--supersede'), /--supersede withdraws older config changes of an agent; give the approval id of a config change/);
  assert.match(usageError('schedule', 'iris', 'hi'), /give exactly one of --cron EXPR or --every DURATION/);
  assert.match(usageError('schedule', 'iris', '--cron', '* * * * *', '--every', '1h', 'hi'), /exactly one of/);
  assert.match(usageError('schedule', 'iris', '--every', 'soon', 'hi'), /--every takes a duration such as 90s, 15m, 2h or 1d, not "soon"/);
  assert.match(usageError('schedule', 'iris', '--every', '1h'), /missing prompt/);
  assert.match(usageError('schedule', '--every', '1h'), /missing agent name/);
  assert.match(usageError('schedules', '--cron', 'x'), /--cron does not apply to schedules/);
  assert.match(usageError('delete-schedule'), /missing schedule id/);
});

test('schedule durations: seconds, or a number with s, m, h or d', () => {
  assert.deepEqual(command('schedule', 'iris', '--every', '90', '-'), { verb: 'schedule', agent: 'iris', text: '-', catchUp: false, everySeconds: 90 });
  for (const [every, seconds] of [['90s', 90], ['15m', 900], ['2h', 7200], ['1d', 86_400]] as const) {
    assert.equal((command('schedule', 'iris', '--every', every, 'x') as { everySeconds: number }).everySeconds, seconds);
  }
});

test('flags are typed and belong to their verbs', () => {
  assert.deepEqual(command('inbox', '--limit=3'), { verb: 'inbox', markRead: false, limit: 3 });
  assert.deepEqual(command('inbox', '--before', '40'), { verb: 'inbox', markRead: false, before: 40 });
  assert.deepEqual(command('stats', 'iris', '--before=9'), { verb: 'stats', agent: 'iris', before: 9 });
  assert.deepEqual(command('watch', '--since', '0'), { verb: 'watch', since: 0 });
  assert.deepEqual(command('questions', '--no-all'), { verb: 'questions', all: false });
  assert.deepEqual(command('help'), { verb: 'help' });
  assert.deepEqual(command('version'), { verb: 'version' });
  assert.match(usageError('stats', '--limit', 'many'), /--limit takes a number, not "many"/);
  assert.match(usageError('stats', '--limit', '2.5'), /--limit takes a positive integer, not 2.5/);
  assert.match(usageError('watch', '--since', '1.5'), /--since takes a non-negative integer/);
  assert.match(usageError('deny', '1', '--note', 'a', '--note', 'b'), /--note can only be set once/);
  assert.match(usageError('status', '--all'), /--all does not apply to status/);
  assert.match(usageError('inbox', '--force'), /--force does not apply to inbox/);
  assert.match(usageError('status', '--version'), /version takes no arguments; unexpected "status"/);
});

test('cost, budget and login: amounts in USD or none, one agent', () => {
  assert.deepEqual(command('cost'), { verb: 'cost' });
  assert.deepEqual(command('budget', '--daily', '20'), { verb: 'budget', daily: 20 });
  assert.deepEqual(command('budget', 'iris', '--daily', '$5.50', '--per-turn', 'none'), { verb: 'budget', agent: 'iris', daily: 5.5, perTurn: null });
  assert.deepEqual(command('login', 'iris'), { verb: 'login', agent: 'iris' });
  assert.deepEqual(command('login', 'iris', '--code', 'abc#1'), { verb: 'login', agent: 'iris', code: 'abc#1' });
  assert.match(usageError('budget', 'iris'), /needs --daily or --per-turn/);
  assert.match(usageError('budget', '--daily=-1'), /--daily takes USD \(0 to 1000000\) or none, not "-1"/);
  assert.match(usageError('budget', '--per-turn', 'lots'), /--per-turn takes USD/);
  assert.match(usageError('budget', 'iris', 'zed', '--daily', '1'), /unexpected "zed"/);
  assert.match(usageError('login'), /missing agent name/);
  assert.match(usageError('cost', 'iris'), /no arguments/);
  assert.match(usageError('cost', '--code', 'x'), /--code does not apply to cost/);
  assert.match(usageError('--url', 'http://127.0.0.1:7000', 'login', 'iris'), /needs the host socket/);
});

test('--since reads a time ago or a date, and nothing else', () => {
  assert.deepEqual(parseSince('90s'), { agoSeconds: 90 });
  assert.deepEqual(parseSince('1h30m'), { agoSeconds: 5400 });
  assert.deepEqual(parseSince('1.5d'), { agoSeconds: 129_600 });
  assert.deepEqual(parseSince('2w'), { agoSeconds: 1_209_600 });
  assert.deepEqual(parseSince('2026-11-21T09:00:00Z'), { atSeconds: Date.parse('2026-11-21T09:00:00Z') / 1000 });
  assert.deepEqual(parseSince('2026-11-21'), { atSeconds: new Date(2026, 10, 21).getTime() / 1000 }, 'a date alone is local midnight');
  for (const bad of ['yesterday', '2h ago', '-5m', '2026-13-45']) assert.match(usageError('recap', `--since=${bad}`), /--since takes a time ago/, bad);
  assert.deepEqual(command('recap', '--since', '15m'), { verb: 'recap', since: { agoSeconds: 900 } });
  assert.match(usageError('watch', '--since', '2h'), /--since takes a non-negative integer \(a seq\)/);
  assert.deepEqual(command('search', 'flaky', 'test', '--before', '90'), { verb: 'search', query: 'flaky test', before: 90 });
  assert.match(usageError('search'), /missing words to search for/);
});

test('--for, --every and --since read spans of time alike; --for and --every keep their own limits', () => {
  const forSeconds = (span: string) => (command('rule', 'add', 'allow', 'Bash', '--for', span) as { forSeconds: number }).forSeconds;
  const everySeconds = (span: string) => (command('schedule', 'iris', '--every', span, 'x') as { everySeconds: number }).everySeconds;
  assert.equal(forSeconds('1h30m'), 5400);
  assert.equal(forSeconds('1w'), 604_800);
  assert.equal(everySeconds('1.5h'), 5400);
  assert.equal(everySeconds('1w'), 604_800);
  assert.deepEqual(parseSince('1h30m'), { agoSeconds: 5400 });
  for (const bad of ['0m', '0.2s', '367d', '90']) assert.match(usageError('rule', 'add', 'allow', 'Bash', '--for', bad), /--for takes a duration like 30m, 8h or 7d \(at most 366d\)/, bad);
  assert.match(usageError('schedule', 'iris', '--every', '2h ago', 'x'), /--every takes a duration/);
  assert.match(usageError('recap', '--since', '90'), /--since takes a time ago/, 'a bare number is no time ago: it could be a date in unix seconds');
});
