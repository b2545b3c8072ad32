// L (claude's login through the core) and :budget, pure through the dispatcher.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialUiState } from './ui-state.js';
import { agentRow } from '../testing/fixtures.js';
import { ENTER, envOf, hive, press, requests } from '../testing/dispatch-env.js';

test('L starts the login and opens the code input; the code is sent at once, an empty one cancels it', () => {
  const env = envOf(hive({ agents: [agentRow('iris', { needs_login: true, paused: true })] }));
  const opened = press(initialUiState(), env, 'L');
  assert.deepEqual(requests(opened.effects), [{ cmd: 'login', name: 'iris' }]);
  assert.equal(opened.ui.modal?.kind, 'input');
  const sent = press(opened.ui, env, ...'abc#123', ENTER);
  assert.deepEqual(requests(sent.effects), [{ cmd: 'login_code', name: 'iris', code: 'abc#123' }], 'no confirm: the code goes to claude');
  assert.deepEqual(requests(press(opened.ui, env, ENTER).effects), [{ cmd: 'login_cancel', name: 'iris' }]);
  // A login already running is shown, not started again.
  const running = envOf(hive({ agents: [agentRow('iris')] }), { logins: { iris: { agent: 'iris', state: 'waiting_for_code', started_at: 1, output: [] } } });
  assert.deepEqual(requests(press(initialUiState(), running, 'L').effects), []);
});

test(':budget sets an agent\'s or the hive\'s daily budget after a confirm; bad amounts change nothing', () => {
  const env = envOf(hive({ agents: [agentRow('iris')] }));
  const asked = press(initialUiState(), env, ':', ...'budget iris 12.5', ENTER);
  assert.equal((asked.ui.modal as { prompt: string }).prompt, 'set the daily budget of iris to $12.50?');
  assert.deepEqual(requests(press(asked.ui, env, 'y').effects), [{ cmd: 'set_budget', agent: 'iris', daily_usd: 12.5 }]);
  const hiveWide = press(initialUiState(), env, ':', ...'budget hive none', ENTER, 'y');
  assert.deepEqual(requests(hiveWide.effects), [{ cmd: 'set_budget', daily_usd: null }]);
  assert.match(press(initialUiState(), env, ':', ...'budget iris lots', ENTER).ui.flash!.text, /usage: :budget AGENT\|hive USD\|none/);
  assert.match(press(initialUiState(), env, ':', ...'budget ghost 5', ENTER).ui.flash!.text, /no agent named "ghost"/);
});
