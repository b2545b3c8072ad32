import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHostRequest } from '../protocol/requests.js';
import { parseArgs } from './args.js';
import { buildRequest, describeActor, type RequestCommand } from './request.js';

function requestFor(...argv: string[]): Record<string, unknown> {
  const parsed = parseArgs(argv);
  assert.ok(parsed.ok);
  return buildRequest(parsed.invocation.command as RequestCommand, 'alice@box', 1_000_000);
}

test('each command builds a request the core accepts, with actor on mutations', () => {
  const cases: Array<[string[], Record<string, unknown>]> = [
    [['status'], { cmd: 'agent_status' }],
    [['list'], { cmd: 'list' }],
    [['pending'], { cmd: 'pending' }],
    [['approval', '7'], { cmd: 'approval', id: 7 }],
    [['approve', '7'], { cmd: 'approve', id: 7, actor: 'alice@box' }],
    [['deny', '7', '--note', 'no'], { cmd: 'deny', id: 7, note: 'no', actor: 'alice@box' }],
    [['questions'], { cmd: 'questions' }],
    [['answer', '2', 'yes'], { cmd: 'answer', id: 2, answer: 'yes', actor: 'alice@box' }],
    [['cancel-question', '2'], { cmd: 'cancel_question', id: 2, actor: 'alice@box' }],
    [['send', 'iris', 'hello', 'there'], { cmd: 'send', to: 'iris', body: 'hello there', actor: 'alice@box' }],
    [['inbox', '--limit', '5'], { cmd: 'operator_inbox', limit: 5 }],
    [['stats', '--agent', 'iris'], { cmd: 'turn_stats', agent: 'iris', limit: 20 }],
    [['pause', 'iris'], { cmd: 'set_paused', name: 'iris', paused: true, actor: 'alice@box' }],
    [['resume', 'iris'], { cmd: 'set_paused', name: 'iris', paused: false, actor: 'alice@box' }],
    [['start', 'iris', 'zed'], { cmd: 'start', scope: { agent_names: ['iris', 'zed'] }, actor: 'alice@box' }],
    [['stop', '--all'], { cmd: 'stop', scope: { agents: true }, graceful: true, actor: 'alice@box' }],
    [['stop', 'iris', '--force'], { cmd: 'stop', scope: { agent_names: ['iris'] }, graceful: false, actor: 'alice@box' }],
    [['restart', 'iris'], { cmd: 'restart', name: 'iris', actor: 'alice@box' }],
    [['spawn', 'scout'], { cmd: 'request_spawn', name: 'scout', actor: 'alice@box' }],
    [['control', 'iris', 'new-session'], { cmd: 'agent_control', name: 'iris', action: 'new_session', actor: 'alice@box' }],
    [['control', 'iris', 'set-model', 'opus'], { cmd: 'agent_control', name: 'iris', action: 'set_model', model: 'opus', actor: 'alice@box' }],
    [['approve', '9', '--supersede'], { cmd: 'approve', id: 9, supersede: true, actor: 'alice@box' }],
    [['diff', 'iris'], { cmd: 'config_diff', name: 'iris' }],
    [['kept'], { cmd: 'kept' }],
    [['revive', 'scout'], { cmd: 'revive', name: 'scout', actor: 'alice@box' }],
    [['purge', 'scout', '--yes'], { cmd: 'purge', name: 'scout', actor: 'alice@box' }],
    [['destroy', 'scout'], { cmd: 'destroy', name: 'scout', purge: false, actor: 'alice@box' }],
    [['search', 'flaky', 'test', '--agent', 'iris'], { cmd: 'search', query: 'flaky test', agent: 'iris', limit: 20 }],
    [['recap'], { cmd: 'recap', actor: 'alice@box' }],
    [['recap', '--since', '2h', '--limit', '5'], { cmd: 'recap', since: 1_000_000 - 7200, limit: 5, actor: 'alice@box' }],
    [['recap', '--since', '1970-01-02T00:00Z'], { cmd: 'recap', since: 86_400, actor: 'alice@box' }],
    [['schedule', 'iris', '--cron', '0 9 * * 1-5', '--tz', 'Europe/Berlin', 'stand-up', 'notes'], { cmd: 'schedule_prompt', to: 'iris', prompt: 'stand-up notes', cron: '0 9 * * 1-5', tz: 'Europe/Berlin', actor: 'alice@box' }],
    [['schedule', 'iris', '--every', '15m', '--catch-up', 'tick'], { cmd: 'schedule_prompt', to: 'iris', prompt: 'tick', every_seconds: 900, catch_up: true, actor: 'alice@box' }],
    [['schedules'], { cmd: 'schedules' }],
    [['schedules', '--all'], { cmd: 'schedules', all: true }],
    [['pause-schedule', '3'], { cmd: 'set_schedule_paused', id: 3, paused: true, actor: 'alice@box' }],
    [['resume-schedule', '#3'], { cmd: 'set_schedule_paused', id: 3, paused: false, actor: 'alice@box' }],
    [['delete-schedule', '3'], { cmd: 'delete_schedule', id: 3, actor: 'alice@box' }],
    [['resources'], { cmd: 'resources' }],
  ];
  for (const [argv, expected] of cases) {
    const request = requestFor(...argv);
    assert.deepEqual(request, expected, argv.join(' '));
    const checked = parseHostRequest(request);
    assert.ok(checked.ok, `${argv.join(' ')}: ${checked.ok ? '' : checked.error}`);
  }
});

test('actor names the user, host and tty', () => {
  assert.equal(describeActor('alice', 'box'), 'alice@box');
  assert.equal(describeActor('alice', 'box', '/dev/pts/3'), 'alice@box pts/3');
  assert.ok(describeActor('a'.repeat(300), 'box').length <= 256);
});
