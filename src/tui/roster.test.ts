import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rosterEntries, urgency } from './roster.js';
import { agentRow } from './testing/fixtures.js';
import type { AgentNeeds } from './client/attention-queue.js';
import { fit, textWidth } from './format.js';
import { rosterLines } from './views/AgentsView.js';
import { inkTextWidth } from './testing/beside-ink.js';

const needs = (over: Partial<AgentNeeds>): AgentNeeds => ({ approvals: 0, questions: 0, messages: 0, items: [], ...over });

test('needs-you-first: question deadlines soonest, then approvals and questions, then failed/login/stalled, then messages; the rest keep the tree', () => {
  const rows = [
    agentRow('manager'),
    agentRow('iris', { parent: 'manager' }),
    agentRow('pia', { parent: 'manager' }),
    agentRow('broken', { failed: true }),
    agentRow('writer'),
    agentRow('asker'),
    agentRow('later'),
  ];
  const byAgent = new Map([
    ['asker', needs({ questions: 1, nearestDeadline: 1000 })],
    ['later', needs({ questions: 1, nearestDeadline: 2000 })],
    ['manager', needs({ approvals: 2 })],
    ['writer', needs({ messages: 3 })],
  ]);
  const order = rosterEntries(rows, byAgent, 'needs', '').map((e) => `${e.row.name}:${e.depth}`);
  assert.deepEqual(order, ['asker:0', 'later:0', 'manager:0', 'broken:0', 'writer:0', 'iris:0', 'pia:0']);
  const tree = rosterEntries(rows, byAgent, 'name', '').map((e) => `${e.row.name}:${e.depth}`);
  assert.deepEqual(tree, ['asker:0', 'broken:0', 'later:0', 'manager:0', 'iris:1', 'pia:1', 'writer:0']);
  assert.deepEqual(urgency(agentRow('q'), undefined), [Number.POSITIVE_INFINITY, 0]);
});

test('the roster filter matches name, state word, status, model and parent, every word', () => {
  const rows = [agentRow('manager', { status_text: 'planning the sprint' }), agentRow('iris', { parent: 'manager', paused: true, active_model: 'sonnet' }), agentRow('zed', { failed: true })];
  const names = (filter: string) => rosterEntries(rows, new Map(), 'name', filter).map((e) => e.row.name);
  assert.deepEqual(names('sprint'), ['manager']);
  assert.deepEqual(names('paused'), ['iris']);
  assert.deepEqual(names('SONNET'), ['iris']);
  assert.deepEqual(names('failed'), ['zed']);
  assert.deepEqual(names('manager'), ['manager', 'iris'], 'a parent\'s name finds its children');
  assert.deepEqual(names('manager paused'), ['iris']);
  assert.deepEqual(names('nobody'), []);
});

test('by CPU or memory: heaviest first, flat; agents with no sample (not running) after them by name', () => {
  const rows = [agentRow('manager'), agentRow('iris', { parent: 'manager' }), agentRow('zed'), agentRow('idle')];
  const sample = (name: string, cpu: number, rss: number) => ({ name, pid: 1, cpu_percent: cpu, rss_bytes: rss, processes: 2, sampled_at: 0 });
  const resources = { manager: sample('manager', 2, 900), iris: sample('iris', 40, 100), zed: sample('zed', 7, 5000) };
  const names = (sort: 'cpu' | 'memory') => rosterEntries(rows, new Map(), sort, '', resources).map((e) => `${e.row.name}:${e.depth}`);
  assert.deepEqual(names('cpu'), ['iris:0', 'zed:0', 'manager:0', 'idle:0']);
  assert.deepEqual(names('memory'), ['zed:0', 'manager:0', 'iris:0', 'idle:0']);
  const entry = rosterEntries(rows, new Map(), 'cpu', '', resources)[0]!;
  assert.equal(entry.resources?.cpu_percent, 40, 'the entry carries its sample for the columns');
});

test('cells are measured in terminal cells: an emoji, a CJK word or a combining mark in a cell keeps the columns after it in line', async () => {
  const { stringWidth } = await inkTextWidth();
  // Pad, and cut with the ellipsis, to exactly the width asked for, never splitting a character.
  for (const text of ['plain', '✅ done', '⏳limit 2h', '構築中のテスト', 'cafe\u0301 ok', '👩‍💻 coding']) {
    for (const width of [1, 2, 3, 5, 8, 12, 30]) {
      const cell = fit(text, width);
      assert.equal(stringWidth(cell), width, `fit(${JSON.stringify(text)}, ${width}) → ${JSON.stringify(cell)}`);
    }
  }
  assert.equal(fit('構築中', 4), '構… ', 'a two-cell character that does not fit leaves a space');
  assert.equal(textWidth('⏳limit'), 7);
  // A roster with such text: each column starts at the same cell on every row and in the header.
  const entries = [
    { row: agentRow('plain', { status_text: 'all ascii' }), depth: 0 },
    { row: agentRow('wide', { status_text: '✅ tests green 構築', active_model: '構築モデル' }), depth: 0 },
    { row: agentRow('mark', { status_text: 'e\u0301 combining' }), depth: 0 },
  ];
  const { header, rows } = rosterLines({ entries, transients: {}, nowMs: Date.now(), tick: 0, tiled: [], stale: false, width: 160, cursor: 0, marked: [] });
  const starts = (segments: { text: string }[]) => {
    const at: number[] = [];
    let cells = 0;
    for (const s of segments) {
      at.push(cells);
      cells += stringWidth(s.text);
    }
    return at;
  };
  const columns = starts(header);
  for (const r of rows) assert.deepEqual(starts(r.segments).slice(-columns.length), columns, `${r.name}'s columns line up with the header`);
});
