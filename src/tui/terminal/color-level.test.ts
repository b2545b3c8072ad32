import { test } from 'node:test';
import assert from 'node:assert/strict';
import { colorLevel } from './color-level.js';

const tty = (env: NodeJS.ProcessEnv, colorFlag = true) => colorLevel({ env, colorFlag, isTTY: true });

test('colour follows the terminal: TERM and COLORTERM', () => {
  assert.equal(tty({ TERM: 'tmux-256color' }), 2);
  assert.equal(tty({ TERM: 'xterm-256color' }), 2);
  assert.equal(tty({ TERM: 'xterm-256color', COLORTERM: 'truecolor' }), 3);
  assert.equal(tty({ TERM: 'screen' }), 1);
  assert.equal(tty({ TERM: 'linux' }), 1);
  assert.equal(tty({ TERM: 'vt100' }), 1);
  assert.equal(tty({ TERM: 'dumb' }), 0);
  assert.equal(tty({ TERM: 'dumb', COLORTERM: 'truecolor' }), 0, 'a dumb terminal takes no escapes');
  assert.equal(tty({}), 0, 'no TERM: nothing says the terminal takes colour');
  assert.equal(tty({ COLORTERM: 'yes' }), 1);
});

test('CI variables never change what the operator sees', () => {
  for (const ci of [{ CI: 'true' }, { CI: '1' }, { CONTINUOUS_INTEGRATION: 'true' }, { GITHUB_ACTIONS: 'true' }, { TEAMCITY_VERSION: '9' }, { CI_NAME: 'x' }]) {
    assert.equal(tty({ TERM: 'tmux-256color', ...ci }), 2, JSON.stringify(ci));
    assert.equal(tty({ TERM: 'dumb', ...ci }), 0, JSON.stringify(ci));
  }
});

test('NO_COLOR and --no-color turn colour off whatever else is set; an empty NO_COLOR does not', () => {
  assert.equal(tty({ TERM: 'xterm-256color', NO_COLOR: '1' }), 0);
  assert.equal(tty({ TERM: 'xterm-256color', NO_COLOR: '1', FORCE_COLOR: '3' }), 0);
  assert.equal(tty({ TERM: 'xterm-256color', NO_COLOR: '' }), 2);
  assert.equal(tty({ TERM: 'xterm-256color', FORCE_COLOR: '3' }, false), 0);
});

test('FORCE_COLOR decides before the terminal, even off a terminal', () => {
  assert.equal(colorLevel({ env: { FORCE_COLOR: '2' }, colorFlag: true, isTTY: false }), 2);
  assert.equal(colorLevel({ env: { FORCE_COLOR: '' }, colorFlag: true, isTTY: false }), 1);
  assert.equal(colorLevel({ env: { FORCE_COLOR: 'true' }, colorFlag: true, isTTY: false }), 1);
  assert.equal(colorLevel({ env: { FORCE_COLOR: '9' }, colorFlag: true, isTTY: false }), 3);
  assert.equal(tty({ TERM: 'xterm-256color', FORCE_COLOR: '0' }), 0);
  assert.equal(tty({ TERM: 'xterm-256color', FORCE_COLOR: 'false' }), 0);
  assert.equal(tty({ TERM: 'xterm-256color', FORCE_COLOR: 'lots' }), 2, 'an unreadable value forces nothing');
  assert.equal(colorLevel({ env: { TERM: 'xterm-256color' }, colorFlag: true, isTTY: false }), 0, 'not a terminal, nothing forced: no colour');
});
