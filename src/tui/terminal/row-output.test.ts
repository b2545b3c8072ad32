import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rowOutputClass } from './row-output.js';
import { importBesideInk, inkOutputClass, inkTextWidth } from '../testing/beside-ink.js';
import { styleSegments, type Segment } from '../components/Line.js';
import { colorTheme } from '../theme/theme.js';
import { agentRow } from '../testing/fixtures.js';
import { rosterLines } from '../views/AgentsView.js';

const InkOutput = await inkOutputClass();
const { stringWidth } = await inkTextWidth();
const { tokenize, styledCharsFromTokens } = await importBesideInk<{
  tokenize: (s: string) => unknown[];
  styledCharsFromTokens: (t: unknown[]) => { value: string; styles: { code: string }[] }[];
}>('@alcalzone/ansi-tokenize');
const RowOutput = rowOutputClass(InkOutput, stringWidth);

type Op = { write: [number, number, string] } | { clip: Record<string, number> } | 'unclip';

function both(width: number, height: number, ops: Op[], transformers: ((s: string, i: number) => string)[] = []) {
  const ink = new InkOutput({ width, height });
  const rows = new RowOutput({ width, height });
  for (const op of ops) {
    for (const out of [ink, rows]) {
      if (op === 'unclip') out.unclip();
      else if ('clip' in op) out.clip(op.clip);
      else out.write(...op.write, { transformers });
    }
  }
  return { ink: ink.get(), rows: rows.get() };
}

/** What a terminal shows: per row, each character with the styles in force on it. */
function screenOf(output: string): string[][] {
  return output.split('\n').map((line) =>
    styledCharsFromTokens(tokenize(line))
      .filter((c) => c.value !== '')
      .map((c) => `${c.value}${[...new Set(c.styles.map((s) => s.code))].sort().join('')}`),
  );
}

/** Trailing unstyled blanks are nothing on screen. */
function trimmed(screen: string[][]): string[][] {
  return screen.map((row) => {
    const r = [...row];
    while (r.length && r.at(-1) === ' ') r.pop();
    return r;
  });
}

function assertSameScreen(width: number, height: number, ops: Op[], transformers?: ((s: string, i: number) => string)[]) {
  const { ink, rows } = both(width, height, ops, transformers);
  assert.equal(rows.height, ink.height);
  assert.deepEqual(trimmed(screenOf(rows.output)), trimmed(screenOf(ink.output)));
}

const roster = (name: string, extra = {}) => {
  const { rows } = rosterLines({ entries: [{ row: agentRow(name, extra), depth: 0 }], transients: {}, nowMs: Date.now(), tick: 0, tiled: [], stale: false, width: 120, cursor: 0, marked: [] });
  return styleSegments(rows[0]!.segments, colorTheme, name === 'iris');
};

test('roster rows, styled, one per row: the same screen as Ink\'s Output', () => {
  const lines = [roster('manager'), roster('iris', { paused: true, unread: 3 }), roster('zed', { failed: true, status_text: 'boom' })];
  assertSameScreen(120, 5, lines.map((l, i) => ({ write: [0, i, l] as [number, number, string] })));
  assertSameScreen(120, 5, [{ write: [0, 1, lines.join('\n')] }], [(s, i) => (i === 1 ? s.toUpperCase() : s)]);
});

test('pieces side by side with gaps (tiled panes), wide characters, empty rows', () => {
  const seg = (text: string, tone?: Segment['tone']) => styleSegments([{ text, ...(tone && { tone }) }], colorTheme);
  assertSameScreen(60, 4, [
    { write: [0, 0, seg('left pane ✓ 日本語 😀', 'ok')] },
    { write: [30, 0, seg('right pane', 'warn')] },
    { write: [2, 2, seg('indented', 'accent')] },
    { write: [0, 3, 'plain'] },
    { write: [10, 3, seg('│', 'muted')] },
  ]);
});

test('anything but pieces side by side is Ink\'s own output, exactly', () => {
  const cases: [number, number, Op[]][] = [
    [20, 2, [{ write: [0, 0, 'overlapping text'] }, { write: [5, 0, 'X'] }]],
    [20, 2, [{ clip: { x1: 0, x2: 5, y1: 0, y2: 2 } }, { write: [0, 0, 'clipped text'] }, 'unclip']],
    [10, 2, [{ write: [0, 0, 'wider than the output'] }]],
    [10, 2, [{ write: [-2, 0, 'off the edge'] }]],
  ];
  for (const [w, h, ops] of cases) {
    const { ink, rows } = both(w, h, ops);
    assert.deepEqual(rows, ink, JSON.stringify(ops));
  }
});
