import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closestWord, completeCommandLine, resolveCommandLine, type CommandLineSources } from './command-line.js';
import { DEFAULT_MODELS } from '../../protocol/light.js';

const sources: CommandLineSources = { agents: ['iris', 'manager', 'zed'], approvals: [3, 5], questions: [7], messages: [9], schedules: [2], models: DEFAULT_MODELS };
const resolve = (line: string) => resolveCommandLine(line, sources);

test('the command line resolves the ctl\'s verbs with their arguments, and the view names', () => {
  assert.deepEqual(resolve(':stats'), { ok: true, call: { command: 'view_stats', word: 'stats' } });
  assert.deepEqual(resolve(':stats iris'), { ok: true, call: { command: 'view_stats', word: 'stats', target: 'iris' } });
  // `:q` quits from anywhere, as Ctrl-C does.
  assert.deepEqual(resolve('q'), { ok: true, call: { command: 'force_quit', word: 'q' } });
  assert.deepEqual(resolve(' :quit '), { ok: true, call: { command: 'force_quit', word: 'quit' } });
  assert.deepEqual(resolve(':approve 3'), { ok: true, call: { command: 'approve', word: 'approve', target: 3 } });
  assert.deepEqual(resolve(':approve #5'), { ok: true, call: { command: 'approve', word: 'approve', target: 5 } });
  assert.deepEqual(resolve(':deny 3 not now'), { ok: true, call: { command: 'deny', word: 'deny', target: 3, text: 'not now' } });
  assert.deepEqual(resolve(':deny not  now'), { ok: true, call: { command: 'deny', word: 'deny', text: 'not  now' } }, 'no id: the selected approval, the note as typed');
  assert.deepEqual(resolve(':answer 7 2'), { ok: true, call: { command: 'answer', word: 'answer', target: 7, text: '2' } });
  assert.deepEqual(resolve(':send iris look at #12'), { ok: true, call: { command: 'message', word: 'send', target: 'iris', text: 'look at #12' } });
  assert.deepEqual(resolve(':model iris sonnet'), { ok: true, call: { command: 'set_model', word: 'model', target: 'iris', text: 'sonnet' } });
  assert.deepEqual(resolve(':pause iris'), { ok: true, call: { command: 'pause', word: 'pause', target: 'iris' } });
  assert.deepEqual(resolve(':resume iris'), { ok: true, call: { command: 'pause', word: 'resume', target: 'iris' } });
  assert.deepEqual(resolve(':restart iris'), { ok: true, call: { command: 'restart', word: 'restart', target: 'iris' } });
  assert.deepEqual(resolve(':inbox'), { ok: true, call: { command: 'view_inbox', word: 'inbox' } });
});

test('unknown words and bad arguments get a sentence and the closest known word', () => {
  assert.deepEqual(resolve(':aprove 3'), { ok: false, error: 'unknown command ":aprove" — did you mean :approve? (Tab completes; :help lists the keys)' });
  assert.deepEqual(resolve(':frobnicate'), { ok: false, error: 'unknown command ":frobnicate" (Tab completes; :help lists the keys)' });
  assert.deepEqual(resolve(':pause irs'), { ok: false, error: 'no agent named "irs" — did you mean iris?' });
  assert.deepEqual(resolve(':approve 4'), { ok: false, error: 'no pending approval #4 (there is #3, #5)' });
  assert.deepEqual(resolve(':approve three'), { ok: false, error: ':approve needs a number — usage: :approve [ID]' });
  assert.deepEqual(resolve(':send iris'), { ok: false, error: ':send needs text — usage: :send AGENT TEXT…' });
  assert.deepEqual(resolve(':model iris'), { ok: false, error: ':model needs a model — usage: :model AGENT MODEL' });
  assert.deepEqual(resolve(':agents now'), { ok: false, error: ':agents takes no arguments — usage: :agents' });
  assert.equal(closestWord('stast', ['stats', 'stream']), 'stats');
  assert.equal(closestWord('xyzzy', ['stats', 'approve']), undefined);
});

test('Tab completes commands, agents, ids and models as far as they are unambiguous', () => {
  assert.deepEqual(completeCommandLine('appr', sources), { text: 'approve ', candidates: ['approve'] });
  assert.deepEqual(completeCommandLine('a', sources), { text: 'a', candidates: ['agents', 'answer', 'approve', 'attention'] });
  assert.deepEqual(completeCommandLine('re', sources), { text: 're', candidates: ['read', 'recap', 'restart', 'resume', 'revive'] });
  assert.deepEqual(completeCommandLine('pause i', sources), { text: 'pause iris ', candidates: ['iris'] });
  assert.deepEqual(completeCommandLine('approve ', sources), { text: 'approve ', candidates: ['3', '5'] });
  assert.deepEqual(completeCommandLine('model iris so', sources), { text: 'model iris sonnet ', candidates: ['sonnet'] });
  assert.deepEqual(completeCommandLine('model iris cl', sources), { text: 'model iris claude-', candidates: ['claude-'] });
  assert.deepEqual(completeCommandLine('send iris hel', sources), { text: 'send iris hel', candidates: [] }, 'free text is not completed');
});

test(':ctx takes a context name as its argument, or none to list them', () => {
  assert.deepEqual(resolve(':ctx prod'), { ok: true, call: { command: 'switch_context', word: 'ctx', text: 'prod' } });
  assert.deepEqual(resolve('ctx'), { ok: true, call: { command: 'switch_context', word: 'ctx' } });
});
