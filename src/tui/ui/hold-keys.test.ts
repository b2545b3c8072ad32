// The attention queue's holds, through the dispatcher: p resumes (one confirm, every agent of an account), B raises the budget,
// L starts a login, Enter opens the agent's stream; read-only and HTTP-with-token consoles get none of the actions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialUiState, type UiState } from './ui-state.js';
import { itemHints } from '../keys/hints.js';
import { keyContextOf } from './key-context.js';
import { agentRow } from '../testing/fixtures.js';
import { ENTER, envOf, hive, press, requests } from '../testing/dispatch-env.js';
import type { AgentStatusRow } from '../../protocol/index.js';

const now = Math.floor(Date.now() / 1000);
const onAttention: UiState = { ...initialUiState(), view: 'attention' };
const spend = (today: number, daily: number, state: 'ok' | 'warning' | 'exceeded') => ({ today_usd: today, week_usd: today, turns_today: 1, turns_week: 1, daily_budget_usd: daily, budget_state: state });
const limited = (name: string): AgentStatusRow => agentRow(name, { paused: true, pause_reason: { kind: 'usage_limit', text: 'usage limit', since: now - 60, resets_at: now + 3600, account: 'default' } });

test('p on an account\'s usage limit resumes every agent it pauses, after one confirm', () => {
  const env = envOf(hive({ agents: [limited('iris'), limited('damo'), agentRow('calm')] }));
  const asked = press(onAttention, env, 'p');
  assert.equal((asked.ui.modal as { prompt: string }).prompt, 'resume iris, damo?');
  assert.deepEqual(requests(press(asked.ui, env, 'y').effects), [
    { cmd: 'set_paused', name: 'iris', paused: false },
    { cmd: 'set_paused', name: 'damo', paused: false },
  ]);
  assert.deepEqual(requests(press(asked.ui, env, 'n').effects), [], 'only y confirms');
});

test('p on one agent\'s budget pause asks as the roster does; B raises its daily budget, refusing an amount it would stay paused under', () => {
  const iris = agentRow('iris', { paused: true, spend: spend(5.1, 5, 'exceeded'), pause_reason: { kind: 'budget', text: 'spent $5.10 today, its daily budget is $5.00', since: now - 60, resumes_at: now + 3600 } });
  const env = envOf(hive({ agents: [iris] }));
  const resume = press(onAttention, env, 'p');
  assert.equal((resume.ui.modal as { prompt: string }).prompt, 'resume iris?');
  assert.deepEqual(requests(press(resume.ui, env, 'y').effects), [{ cmd: 'set_paused', name: 'iris', paused: false }]);

  const input = press(onAttention, env, 'B');
  assert.equal(input.ui.modal?.kind, 'input');
  assert.match((input.ui.modal as { label: string }).label, /^daily budget of iris in USD, or none \(now \$5\.00, spent today \$5\.10\):$/);
  const low = press(input.ui, env, ...'5', ENTER);
  assert.match(low.ui.flash!.text, /\$5\.00 is not above the \$5\.10 spent today, so iris would stay paused; nothing changed/);
  assert.deepEqual(requests(low.effects), []);
  const asked = press(input.ui, env, ...'12', ENTER);
  assert.equal((asked.ui.modal as { prompt: string }).prompt, 'set the daily budget of iris to $12.00?');
  assert.deepEqual(requests(press(asked.ui, env, 'y').effects), [{ cmd: 'set_budget', agent: 'iris', daily_usd: 12 }]);
  assert.match(press(input.ui, env, ...'lots', ENTER).ui.flash!.text, /"lots" is not an amount/);
});

test('B on the hive\'s budget sets the hive\'s; on a turn\'s, the per-turn budget', () => {
  const hiveHeld = ['a', 'b'].map((n) => agentRow(n, { paused: true, pause_reason: { kind: 'hive_budget', text: 'the hive spent', since: now } }));
  const env = envOf(hive({ agents: hiveHeld, spend: { timezone: 'UTC', day_start: now, week_start: now, warn_percent: 80, ...spend(50.5, 50, 'exceeded') } }));
  const asked = press(onAttention, env, 'B', ...'80', ENTER);
  assert.equal((asked.ui.modal as { prompt: string }).prompt, 'set the daily budget of the hive to $80.00?');
  assert.deepEqual(requests(press(asked.ui, env, 'y').effects), [{ cmd: 'set_budget', daily_usd: 80 }]);

  const turn = agentRow('iris', { paused: true, pause_reason: { kind: 'turn_budget', text: 'one turn cost $3.00', since: now } });
  const turnEnv = envOf(hive({ agents: [turn] }));
  const perTurn = press(onAttention, turnEnv, 'B', ...'none', ENTER);
  assert.equal((perTurn.ui.modal as { prompt: string }).prompt, 'lift the per-turn budget of iris?');
  assert.deepEqual(requests(press(perTurn.ui, turnEnv, 'y').effects), [{ cmd: 'set_budget', agent: 'iris', per_turn_usd: null }]);
});

test('L on a needs-login item starts the login; Enter opens the agent\'s stream; a warning offers no resume', () => {
  const env = envOf(hive({ agents: [agentRow('iris', { needs_login: true, paused: true, pause_reason: { kind: 'login', text: 'not logged in', since: now } }), agentRow('near', { spend: spend(4.5, 5, 'warning') })] }));
  const login = press(onAttention, env, 'L');
  assert.deepEqual(requests(login.effects), [{ cmd: 'login', name: 'iris' }]);
  assert.equal(login.ui.modal?.kind, 'input');
  const opened = press(onAttention, env, ENTER);
  assert.deepEqual([opened.ui.view, opened.ui.streamAgents], ['stream', ['iris']]);

  const onWarning = { ...onAttention, cursor: { ...onAttention.cursor, attention: 1 } };
  const hints = itemHints(keyContextOf(onWarning, env)).map((h) => h.key);
  assert.ok(hints.includes('B') && !hints.includes('p'), hints.join(' '));
  assert.deepEqual(requests(press(onWarning, env, 'p', 'y').effects), []);
});

test('read-only, and over HTTP with a token, the holds\' actions are hidden and do nothing', () => {
  const s = hive({ agents: [limited('iris'), agentRow('k', { needs_login: true })] });
  for (const over of [{ readOnly: true }, { decisionsOnly: true }]) {
    const env = envOf(s, over);
    for (const key of ['p', 'L', 'B']) {
      for (const cursor of [0, 1]) {
        const ui = { ...onAttention, cursor: { ...onAttention.cursor, attention: cursor } };
        const out = press(ui, env, key, 'y');
        assert.deepEqual(requests(out.effects), [], `${key} on row ${cursor} with ${JSON.stringify(over)}`);
        assert.equal(out.ui.modal, undefined);
      }
      assert.ok(!itemHints(keyContextOf(onAttention, env)).some((h) => ['p', 'L', 'B'].includes(h.key)));
    }
  }
});
