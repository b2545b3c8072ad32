import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fastStringWidth, SINGLE_CELL_TEXT } from './text-width.js';
import { inkTextWidth } from '../testing/beside-ink.js';
import { styleSegments } from '../components/Line.js';
import { colorTheme } from '../theme/theme.js';

const { stringWidth, stripAnsi, eastAsianWidth } = await inkTextWidth();
const width = fastStringWidth(stringWidth, stripAnsi, eastAsianWidth);

test('every character the fast path measures has string-width\'s width, alone and in company', () => {
  let checked = 0;
  for (let cp = 0; cp <= 0xffff; cp++) {
    const ch = String.fromCharCode(cp);
    if (!SINGLE_CELL_TEXT.test(ch)) continue;
    checked++;
    assert.equal(width(ch), stringWidth(ch), `U+${cp.toString(16)}`);
    assert.equal(width(`a${ch}b${ch}`), stringWidth(`a${ch}b${ch}`), `U+${cp.toString(16)} in a string`);
  }
  assert.ok(checked > 4000, `${checked} characters checked`);
});

test('the console\'s rows, styled, measure as string-width measures them', () => {
  const rows = ['› ● running    manager     thinking 3s   ✉1', '‖ paused  └ iris ⚑2 ?1 4m', '✗ failed ⚠ stalled 🔑 login', '── turn · woken by operator ──', '⏱ 14m54s left · ↓ 10 more · G to follow'];
  for (const row of rows) {
    const styled = styleSegments([{ text: row, tone: 'accent', bold: true }], colorTheme, true);
    assert.equal(width(styled), stringWidth(styled), row);
    assert.equal(width(row), stringWidth(row), row);
  }
});

test('anything else is string-width\'s answer', () => {
  for (const text of ['日本語', '😀', '👍🏽', '👨‍👩‍👧', '❤️', 'é', 'a\u0301', '1\u20e3', 'x\u200by', '\u00ad', 'ﾊﾟ', '\u1100\u1161', 'tab\there', '']) {
    assert.equal(width(text), stringWidth(text), JSON.stringify(text));
  }
  assert.equal(width('\u001b[31m日本\u001b[39m'), 4);
});
