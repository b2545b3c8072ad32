import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { BEGIN_SYNC, END_SYNC, frameUpdate } from './frame-diff.js';
import { TerminalScreen } from './screen.js';

const E = '\u001b';

test('the first frame clears the screen (never the scrollback) and puts every row in place', () => {
  const out = frameUpdate(undefined, ['head', 'body'], 24);
  assert.ok(out.startsWith(BEGIN_SYNC) && out.endsWith(END_SYNC));
  assert.ok(out.includes(`${E}[2J`));
  assert.ok(!out.includes(`${E}[3J`), 'ESC[3J would wipe the scrollback');
  assert.ok(out.includes(`${E}[1;1H${E}[0m${E}[2Khead`) && out.includes(`${E}[2;1H${E}[0m${E}[2Kbody`));
});

test('later frames send only the rows that changed, and clear rows a shorter frame left', () => {
  assert.equal(frameUpdate(['a', 'b', 'c'], ['a', 'b', 'c'], 24), '', 'an unchanged frame sends nothing');
  const out = frameUpdate(['a', 'b', 'c'], ['a', 'B'], 24);
  assert.ok(!out.includes('1;1H'), 'row 1 is unchanged');
  assert.ok(out.includes(`${E}[2;1H${E}[0m${E}[2KB`));
  assert.ok(out.includes(`${E}[3;1H${E}[0m${E}[J`), 'row 3 of the old frame is cleared');
  assert.ok(!out.includes(`${E}[2J`));
});

test('a frame taller than the terminal is cut to its rows', () => {
  const out = frameUpdate(undefined, ['1', '2', '3'], 2);
  assert.ok(out.includes('2;1H') && !out.includes('3;1H'));
});

class FakeTty extends EventEmitter {
  isTTY = true;
  columns = 120;
  rows = 40;
  written = '';
  raw: boolean[] = [];
  paused = 0;
  resumed = 0;
  write(data: string) {
    this.written += data;
    return true;
  }
  setRawMode(mode: boolean) {
    this.raw.push(mode);
  }
  pause() {
    this.paused++;
  }
  resume() {
    this.resumed++;
  }
}

test('the screen takes the terminal and gives it back exactly once', () => {
  const tty = new FakeTty();
  const screen = new TerminalScreen(tty, tty, { mouse: true });
  screen.enter();
  assert.ok(tty.written.startsWith(`${E}[?1049h${E}[?25l${E}[?7l${E}[?2004h${E}[?1000h${E}[?1006h`));
  assert.deepEqual(tty.raw, [true]);
  screen.frames.write('hello');
  assert.ok(tty.written.includes('hello'));
  tty.written = '';
  screen.restore();
  assert.equal(tty.written, `${E}[0m${E}[?1006l${E}[?1000l${E}[?2004l${E}[?7h${E}[?25h${E}[?1049l`);
  assert.deepEqual(tty.raw, [true, false]);
  screen.restore();
  screen.frames.write('late frame');
  assert.equal(tty.written, `${E}[0m${E}[?1006l${E}[?1000l${E}[?2004l${E}[?7h${E}[?25h${E}[?1049l`, 'nothing is drawn or restored twice');
});

test('--no-mouse leaves mouse reporting off', () => {
  const tty = new FakeTty();
  new TerminalScreen(tty, tty, { mouse: false }).enter();
  assert.ok(!tty.written.includes('?1000h'));
});

test('a resize redraws the whole next frame at the new size; Ink\'s cursor-show is ignored and the bell passes', () => {
  const tty = new FakeTty();
  const screen = new TerminalScreen(tty, tty, { mouse: true });
  screen.enter();
  let resized = 0;
  screen.frames.on('resize', () => resized++);
  screen.frames.write('a\nb');
  tty.written = '';
  tty.columns = 80;
  tty.rows = 24;
  tty.emit('resize');
  assert.equal(resized, 1);
  assert.deepEqual([screen.frames.columns, screen.frames.rows], [80, 24]);
  screen.frames.write('a\nb');
  assert.ok(tty.written.includes(`${E}[2J`) && tty.written.includes('1;1H'), 'the same frame is drawn whole after a resize');
  tty.written = '';
  screen.frames.write(`${E}[?25h`);
  screen.frames.write('\u0007');
  assert.equal(tty.written, '\u0007');
});

test('runOutside hands the terminal over and takes it back with a full redraw', async () => {
  const tty = new FakeTty();
  const screen = new TerminalScreen(tty, tty, { mouse: true });
  screen.enter();
  screen.frames.write('frame');
  tty.written = '';
  const result = await screen.runOutside(() => {
    assert.ok(tty.written.includes(`${E}[?1049l`), 'the main screen while the other program runs');
    assert.deepEqual(tty.raw.at(-1), false);
    assert.equal(tty.paused, 1, 'keys are left to the other program');
    tty.written = '';
    screen.frames.write('drawn while away');
    assert.equal(tty.written, '', 'nothing is drawn while the terminal is lent');
    return 42;
  });
  assert.equal(result, 42);
  assert.ok(tty.written.includes(`${E}[?1049h`) && tty.written.includes('drawn while away'));
  assert.equal(tty.resumed, 1);
  assert.equal(tty.raw.at(-1), true);
});

test('stopped by job control, the terminal is the shell\'s; continued, the console takes it back and redraws', () => {
  const tty = new FakeTty();
  const screen = new TerminalScreen(tty, tty, { mouse: true });
  screen.enter();
  screen.frames.write('frame');
  tty.written = '';
  screen.stopped();
  assert.ok(tty.written.includes(`${E}[?1049l`) && tty.written.includes(`${E}[?25h`));
  assert.equal(tty.raw.at(-1), false);
  tty.written = '';
  screen.continued();
  assert.ok(tty.written.includes(`${E}[?1049h`) && tty.written.includes('frame'));
  assert.equal(tty.raw.at(-1), true);
});
