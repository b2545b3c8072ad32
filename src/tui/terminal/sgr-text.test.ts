import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { sgrTextFirst } from './sgr-text.js';
import { styleSegments } from '../components/Line.js';
import { colorTheme } from '../theme/theme.js';

const inkEntry = createRequire(import.meta.url).resolve('ink');
const inkSanitize = ((await import(pathToFileURL(path.join(path.dirname(inkEntry), 'sanitize-ansi.js')).href)) as { default: (t: string) => string }).default;
const sanitize = sgrTextFirst(inkSanitize);

test('styled rows pass as they are, and hostile text is Ink\'s sanitizer\'s answer', () => {
  const styled = styleSegments([{ text: '● running', tone: 'ok', bold: true }, { text: ' iris ✉3', tone: 'warn', dim: true }], colorTheme, true);
  const cases = [
    'plain text',
    styled,
    `${styled}\n${styled}`,
    'X\u001b[2J\u001b[H\u001b[5;5H\u001b[?1049h',
    '\u001b]0;owned title\u0007',
    '\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007',
    '\u001bPq#0;2;0;0;0\u001b\\',
    '\u009b31mC1 CSI',
    '\u001b[38:5:196mcolon SGR\u001b[0m',
    '\u001b[1 q cursor style',
    'trailing escape \u001b',
    'bell \u0007 and tab \t',
  ];
  for (const text of cases) assert.equal(sanitize(text), inkSanitize(text), JSON.stringify(text));
});
