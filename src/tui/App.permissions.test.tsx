// The console on tool approvals: each tool drawn as it reads best, the asking agent's stream beside the call,
// the rule form on the status line, the rules view.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { render, cleanup } from 'ink-testing-library';
import { App } from './App.js';
import { colorTheme, noColorTheme } from './theme/theme.js';
import { KEYS, TestHive, waitFor, waitForFrame } from './testing/test-hive.js';
import { approval, snapshot } from './testing/fixtures.js';
import { streamLinesAction } from './client/stream-lines.js';
import type { Approval, PermissionRule } from '../protocol/index.js';
import chalk from 'chalk';

afterEach(() => cleanup());

const toolApproval = (id: number, tool: string, input: Record<string, unknown>, extra: Partial<Approval> = {}): Approval =>
  approval(id, { agent: 'iris', kind: 'tool_permission', commit_ref: '', tool_name: tool, summary: String(input.command ?? input.file_path ?? input.url ?? ''), rule_proposal: `${tool}(x)`, tool_input: input, ...extra });

class RulesHive extends TestHive {
  rules: PermissionRule[] = [];
  fetches = 0;
  async fetchRules(): Promise<void> {
    this.fetches++;
    this.apply({ type: 'rules', rules: this.rules });
  }
}

function mount(h: TestHive, columns = 140, noColor = true) {
  return render(<App hive={h} theme={noColor ? noColorTheme : colorTheme} bell={false} size={{ columns, rows: 24 }} />);
}

function live(approvals: Approval[]): RulesHive {
  const h = new RulesHive();
  h.apply({ type: 'snapshot', snapshot: snapshot({ approvals }) }, { type: 'connection', info: { phase: 'live' } });
  return h;
}

/** Open approval `id` from the attention queue (the details arrive as the core would send them). */
async function open(h: RulesHive, r: ReturnType<typeof mount>, id: number, detail: Approval): Promise<string> {
  r.stdin.write('2');
  await waitForFrame(r.lastFrame, (f) => f.includes(`approval #${id}`));
  for (let i = 0; i < 5 && !/› .*#\d+/.test(r.lastFrame() ?? '') ; i++) r.stdin.write('j');
  r.stdin.write(KEYS.enter);
  await waitFor(() => h.approvalFetches.includes(id));
  h.apply({ type: 'approval_detail', approval: detail });
  return waitForFrame(r.lastFrame, (f) => f.includes('wants to run'));
}

test('a Bash call shows its command and description, beside the last lines of the agent that asks', async () => {
  const bash = toolApproval(7, 'Bash', { command: 'npm test -- --watch=false', description: 'Run the test suite' }, { rule_proposal: 'Bash(npm test:*)' });
  const h = live([bash]);
  const r = mount(h);
  const frame = await open(h, r, 7, bash);
  assert.match(frame, /approval #7 waiting for you\s+iris wants to run Bash/);
  assert.match(frame, /Run the test suite/);
  assert.match(frame, /\$ npm test -- --watch=false/);
  assert.match(frame, /a rule for calls like it: Bash\(npm test:\*\)/);
  assert.match(frame, /A allow \+ rule · D deny \+ rule/);
  // The agent's stream is watched while the approval is shown, and drawn beside it.
  await waitFor(() => h.watched.some((w) => w.length === 1 && w[0] === 'iris'), 3000, 'iris watched');
  h.apply(streamLinesAction('iris', [{ kind: 'note', seq: 1, agent: 'iris', ts_ms: Date.now(), text: 'waiting for the operator: approval #7 — Bash: npm test -- --watch=false' }], true));
  const withStream = await waitForFrame(r.lastFrame, (f) => f.includes('waiting for the operator'));
  const row = withStream.split('\n').find((l) => l.includes('$ npm test'))!;
  assert.match(withStream, /│ iris, last lines:/);
  assert.ok(withStream.split('\n').some((l) => l.includes('wants to run') && l.includes('│ iris, last lines:')), 'side by side on a wide terminal');
  assert.ok(row.length > 0);
});

test('an Edit call shows the core\'s diff coloured; another tool its input as indented JSON', async () => {
  const edit = toolApproval(8, 'Edit', { file_path: 'src/config.ts', old_string: 'port = 80', new_string: 'port = 8080' }, {
    diff: '--- a/src/config.ts\n+++ b/src/config.ts\n@@ -1,2 +1,2 @@\n-export const port = 80;\n+export const port = 8080;\n export const host = "a";\n',
  });
  const h = live([edit]);
  const level = chalk.level;
  chalk.level = 1; // the test's stdout is no terminal: colour as a 16-colour one would
  let raw: string;
  try {
    const r = mount(h, 140, false);
    await open(h, r, 8, edit);
    raw = r.lastFrame() ?? '';
  } finally {
    chalk.level = level;
  }
  assert.match(raw, /\u001b\[3\dm-export const port = 80;/, 'the removed line is coloured');
  assert.match(raw, /\u001b\[3\dm\+export const port = 8080;/, 'the added line is coloured');
  cleanup();

  const fetch = toolApproval(9, 'mcp__github__create_issue', { title: 'Flaky test', labels: ['ci'] });
  const h2 = live([fetch]);
  const r2 = mount(h2);
  const frame = await open(h2, r2, 9, fetch);
  assert.match(frame, /\{\n?[\s\S]*"title": "Flaky test",[\s\S]*"labels": \[[\s\S]*"ci"/);
});

/** `npm test` waiting as approval #7, opened, with A pressed: the rule form shows its proposal for iris. */
async function ruleForm(): Promise<{ h: RulesHive; r: ReturnType<typeof mount> }> {
  const bash = toolApproval(7, 'Bash', { command: 'npm test' }, { rule_proposal: 'Bash(npm test:*)' });
  const h = live([bash]);
  const r = mount(h);
  await open(h, r, 7, bash);
  r.stdin.write('A');
  await waitForFrame(r.lastFrame, (f) => f.includes('allow #7 + rule [Bash(npm test:*)▏] for iris, until removed'));
  return { h, r };
}

test('A opens the rule form on the status line; Tab widens it to the hive; Enter allows, then saves the rule', async () => {
  const { h, r } = await ruleForm();
  r.stdin.write(KEYS.tab);
  r.stdin.write(KEYS.down);
  await waitForFrame(r.lastFrame, (f) => f.includes('for the whole hive, for 1 h'));
  r.stdin.write(KEYS.enter);
  await waitFor(() => h.requests.length === 2, 3000, 'two requests');
  assert.deepEqual(h.requests, [
    { cmd: 'approve', id: 7 },
    { cmd: 'rule_add', rule: 'Bash(npm test:*)', effect: 'allow', expires_in_seconds: 3600 },
  ]);
});

test('a rule that does not parse: the form stays on the status line with the sentence under it, and nothing is sent', async () => {
  const { h, r } = await ruleForm();
  r.stdin.write(KEYS.backspace);
  await waitForFrame(r.lastFrame, (f) => f.includes('[Bash(npm test:*▏]'));
  r.stdin.write(KEYS.enter);
  const frame = await waitForFrame(r.lastFrame, (f) => f.includes('does not parse'));
  const rows = frame.split('\n');
  const form = rows.findIndex((l) => l.includes('allow #7 + rule [Bash(npm test:*▏]'));
  assert.ok(form >= 0, 'the form is still open');
  assert.match(rows.slice(form + 1).join(' '), /rule "Bash\(npm test:\*" does not parse/);
  assert.ok(rows.length <= 24, `the screen keeps its height: ${rows.length} rows`);
  assert.match(rows.at(-1)!, /^Enter save\s+Tab scope/, 'the footer still shows the form\'s keys');
  assert.deepEqual(h.requests, []);
});

test('the rules view lists rules with hits, last use and where they came from; it asks for them again while shown', async () => {
  const h = live([]);
  h.rules = [
    { id: 1, rule: 'Bash(rm -rf:*)', effect: 'deny', agent: null, source: 'config', created_at: 0, hits: 2 },
    { id: 4, rule: 'Bash(npm test:*)', effect: 'allow', agent: 'iris', source: 'operator', created_at: 0, created_by: 'alice@box', hits: 12, last_used_at: Math.floor(Date.now() / 1000) - 30 },
  ];
  const r = mount(h);
  r.stdin.write('7');
  const frame = await waitForFrame(r.lastFrame, (f) => f.includes('Bash(npm test:*)'));
  assert.match(frame, /tool-permission rules \(2\)/);
  assert.match(frame, /#1\s+deny\s+hive\s+2\s+-\s+-\s+config\s+Bash\(rm -rf:\*\)/);
  assert.match(frame, /#4\s+allow\s+iris\s+12\s+3\ds ago\s+-\s+alice@box\s+Bash\(npm test:\*\)/);
  const first = h.fetches;
  await waitFor(() => h.fetches > first, 5000, 'a refresh');
});
