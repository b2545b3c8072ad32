import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serializeLiveEvent } from './agent-event-log.js';
import type { LiveEventInput } from '../../protocol/index.js';

test('a stored line puts kind, seq, agent, ts_ms first and keeps every field', () => {
  const cases: [LiveEventInput, object][] = [
    [{ kind: 'note', text: 'hi' }, { kind: 'note', seq: 7, agent: 'iris', ts_ms: 1000, text: 'hi' }],
    [{ kind: 'note', ts_ms: 5, text: 'x' }, { kind: 'note', seq: 7, agent: 'iris', ts_ms: 5, text: 'x' }],
    [{ kind: 'stream', data: { kind: 'nested', seq: 1 } }, { kind: 'stream', seq: 7, agent: 'iris', ts_ms: 1000, data: { kind: 'nested', seq: 1 } }],
  ];
  for (const [event, expected] of cases) {
    const line = serializeLiveEvent(event, 7, '"iris"', 1000);
    assert.ok(line.endsWith('\n'));
    assert.ok(line.startsWith('{"kind":'));
    assert.deepEqual(JSON.parse(line), expected);
  }
});

test('a harness cannot forge seq or agent', () => {
  const forged = { kind: 'note', text: 'x', seq: 1, agent: 'boss' } as unknown as LiveEventInput;
  const parsed = JSON.parse(serializeLiveEvent(forged, 9, '"iris"', 1));
  assert.equal(parsed.seq, 9);
  assert.equal(parsed.agent, 'iris');
  assert.equal(parsed.text, 'x');
});
