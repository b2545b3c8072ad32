import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  agentNameProblem, isAgentName, sanitize, sanitizeOneLine, LineSplitter, decodeLine,
  parseHostRequest, parseAgentRequest, parseHiveConfig, MAX_BODY_BYTES, DEFAULT_MODELS, modelAllowed, modelProblem,
} from './index.js';

test('agent names: accepted and refused', () => {
  for (const good of ['iris', 'a', 'agent-7', '0day', 'x'.repeat(63)]) assert.equal(agentNameProblem(good), null, good);
  for (const bad of ['', '..', 'a/b', '/etc', 'Iris', '-lead', 'x'.repeat(64), 'a b', 'é', 'operator', 'system', 'a.b', 42, null]) {
    assert.equal(isAgentName(bad), false, String(bad));
    assert.match(agentNameProblem(bad)!, /name/);
  }
});

test('sanitize removes escape sequences and shows controls', () => {
  const hostile = [
    'a\u001b[2Jb', // clear screen
    'a\u001b[10;5Hb', // cursor move
    'a\u001b]0;pwned\u0007b', // OSC 0 title
    'a\u001b]8;;http://evil\u001b\\b\u001b]8;;\u001b\\', // OSC 8 link
    'a\u001b]52;c;aGVsbG8=\u0007b', // OSC 52 clipboard
    'a\u001bP1$qm\u001b\\b', // DCS
    'a\u009b31mb', // 8-bit CSI
  ];
  for (const s of hostile) {
    const out = sanitize(s);
    assert.doesNotMatch(out, /[\u001b\u0007\u0080-\u009f]/, JSON.stringify(s));
    assert.ok(out.startsWith('a') && out.includes('b'), JSON.stringify(out));
  }
  assert.equal(sanitize('x\u202Ey'), 'x<U+202E>y');
  assert.equal(sanitize('bell\u0007'), 'bell\u2407');
  assert.equal(sanitize('keep\n\ttabs'), 'keep\n\ttabs');
  assert.equal(sanitize('crlf\r\nnext'), 'crlf\nnext');
  assert.equal(sanitizeOneLine('one\ntwo'), 'one two');
  assert.equal(sanitize('plain text ✓'), 'plain text ✓');
});

test('sanitize shows the Unicode line breakers like the other line-breaking controls', () => {
  assert.equal(sanitize('a\u000bb\u000cc'), 'a\u240bb\u240cc', 'vertical tab and form feed are shown, not obeyed');
  assert.equal(sanitize('line\u2028separator'), 'line<U+2028>separator');
  assert.equal(sanitize('para\u2029graph'), 'para<U+2029>graph');
  assert.equal(sanitize('next\u0085line'), 'next<U+0085>line');
  assert.equal(sanitizeOneLine('a\u2028b\u2029c\u0085d'), 'a<U+2028>b<U+2029>c<U+0085>d');
  assert.doesNotMatch(sanitize('x\u2028\u2029\u0085y'), /[\u2028\u2029\u0085]/);
});

test('line splitter joins split lines, caps long ones, keeps going', () => {
  const s = new LineSplitter(10);
  assert.deepEqual(s.push(Buffer.from('{"a":')), []);
  assert.deepEqual(s.push(Buffer.from('1}\n{"b"')), [{ kind: 'line', line: '{"a":1}' }]);
  assert.deepEqual(s.push(Buffer.from(':2}\n')), [{ kind: 'line', line: '{"b":2}' }]);
  const over = s.push(Buffer.from('x'.repeat(25)));
  assert.equal(over.length, 1);
  assert.equal(over[0]!.kind, 'overflow');
  assert.deepEqual(s.push(Buffer.from('yyyy\nok\n')), [{ kind: 'line', line: 'ok' }]);
  // multi-byte characters split across chunks survive
  const utf = Buffer.from('"✓"\n');
  const t = new LineSplitter();
  assert.deepEqual([...t.push(utf.subarray(0, 2)), ...t.push(utf.subarray(2))], [{ kind: 'line', line: '"✓"' }]);
  assert.equal(decodeLine('nope').ok, false);
});

test('host requests: garbage gets a sentence', () => {
  assert.match((parseHostRequest([1, 2]) as { error: string }).error, /JSON object/);
  assert.match((parseHostRequest({ cmd: 'frobnicate' }) as { error: string }).error, /unknown cmd/);
  assert.match((parseHostRequest({ cmd: 'approve', id: 'seven' }) as { error: string }).error, /field "id"/);
  assert.equal(parseHostRequest({ cmd: 'approve', id: 7, actor: 'op@host' }).ok, true);
  assert.equal(parseHostRequest({ cmd: 'send', to: 'iris', body: 'x'.repeat(MAX_BODY_BYTES + 1) }).ok, false);
});

test('agent requests: emit validates events', () => {
  assert.equal(parseAgentRequest({ cmd: 'emit', events: [{ kind: 'note', text: 'hi' }] }).ok, true);
  assert.equal(parseAgentRequest({ cmd: 'emit', events: [{ kind: 'bogus' }] }).ok, false);
});

test('config: defaults and field-naming errors', () => {
  const ok = parseHiveConfig({ name: 'demo', agents: { iris: {} } });
  assert.ok(ok.ok);
  if (ok.ok) {
    assert.equal(ok.config.agents.iris!.model, 'haiku');
    assert.deepEqual(ok.config.agents.iris!.command, ['claude']);
    assert.equal(ok.config.backend, 'process');
    assert.deepEqual(ok.config.models, ['fable', 'opus', 'sonnet', 'haiku', 'claude-*']);
  }
  const bad = parseHiveConfig({ name: 'demo', agents: { Iris: {} } });
  assert.ok(!bad.ok && /agents/.test(bad.error), JSON.stringify(bad));
  const badParent = parseHiveConfig({ name: 'demo', agents: { iris: { parent: 'ghost' } } });
  assert.ok(!badParent.ok && /agents\.iris\.parent/.test(badParent.error));
  const badHttp = parseHiveConfig({ name: 'demo', http: { listen: 'nowhere' } });
  assert.ok(!badHttp.ok && /http\.listen/.test(badHttp.error));
});

test('models: names and claude-… prefixes are taken, anything else is refused naming the choices', () => {
  for (const model of ['fable', 'opus', 'sonnet', 'haiku', 'claude-sonnet-4-5', 'claude-opus-4-5-20251101']) assert.equal(modelProblem(model, DEFAULT_MODELS), undefined, model);
  for (const model of ['not-a-model', 'Opus', 'opus ', 'claude-', 'gpt-4', '']) assert.ok(modelProblem(model, DEFAULT_MODELS), model);
  assert.equal(modelProblem('not-a-model', DEFAULT_MODELS), 'unknown model "not-a-model": this hive takes fable, opus, sonnet, haiku or a full claude-… name');
  assert.equal(modelProblem('haiku', ['sonnet']), 'unknown model "haiku": this hive takes sonnet');
  assert.equal(modelAllowed('claude-x', ['sonnet']), false, 'a configured list replaces the default');
  const empty = parseHiveConfig({ name: 'demo', models: [] });
  assert.ok(!empty.ok && /models/.test(empty.error));
});
