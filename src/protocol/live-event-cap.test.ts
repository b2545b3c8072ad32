import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_LIVE_EVENT_BYTES, capLiveEventLine } from './live-event-cap.js';

const bytes = (s: string) => Buffer.byteLength(s);
const envelope = { kind: 'note', seq: 7, agent: 'iris', ts_ms: 1000 };

test('an event within the cap is left exactly as it was', () => {
  const line = JSON.stringify({ ...envelope, text: 'x'.repeat(1000) });
  assert.equal(capLiveEventLine(line), line);
});

test('a 1 MB note is cut to the cap with a visible marker and its full size kept', () => {
  const text = 'abcdefghij'.repeat(100_000);
  const line = JSON.stringify({ ...envelope, text });
  const capped = capLiveEventLine(line);
  assert.ok(bytes(capped) <= MAX_LIVE_EVENT_BYTES, `${bytes(capped)} bytes`);
  const event = JSON.parse(capped);
  assert.deepEqual([event.kind, event.seq, event.agent, event.ts_ms], ['note', 7, 'iris', 1000]);
  assert.equal(event.full_bytes, bytes(line));
  const marker = /\[… (\d+) bytes cut\]$/.exec(event.text);
  assert.ok(marker, 'the cut says so at its end');
  const kept = event.text.slice(0, marker.index);
  assert.ok(text.startsWith(kept) && kept.length > 60_000, `kept ${kept.length} chars from the start`);
  assert.equal(Number(marker[1]), bytes(text) - bytes(kept), 'the marker counts the bytes cut');
});

test('nested stream text is cut where it is; escapes, multibyte text and surrogate pairs stay valid', () => {
  const escaped = '\u0001"\\'.repeat(40_000); // each character costs 2–6 bytes on the wire
  const emoji = '😀'.repeat(40_000); // surrogate pairs: a cut must not split one
  const line = JSON.stringify({
    kind: 'stream', seq: 1, agent: 'iris', ts_ms: 1,
    data: { type: 'assistant', message: { content: [{ type: 'text', text: escaped }, { type: 'text', text: emoji }] } },
  });
  const capped = capLiveEventLine(line);
  assert.ok(bytes(capped) <= MAX_LIVE_EVENT_BYTES, `${bytes(capped)} bytes`);
  const event = JSON.parse(capped);
  assert.equal(event.data.type, 'assistant');
  const [a, b] = event.data.message.content;
  for (const block of [a, b]) assert.match(block.text, /\[… \d+ bytes cut\]$/);
  assert.doesNotMatch(b.text, /[\ud800-\udbff](?![\udc00-\udfff])/, 'no lone high surrogate');
  assert.ok(b.text.startsWith('😀😀'));
});

test('an event too large for reasons other than text becomes a note saying what was dropped', () => {
  const line = JSON.stringify({ kind: 'stream', seq: 3, agent: 'iris', ts_ms: 5, data: { numbers: Array.from({ length: 50_000 }, (_, i) => i) } });
  const capped = capLiveEventLine(line);
  assert.ok(bytes(capped) <= MAX_LIVE_EVENT_BYTES);
  const event = JSON.parse(capped);
  assert.deepEqual([event.kind, event.seq, event.agent, event.ts_ms, event.full_bytes], ['note', 3, 'iris', 5, bytes(line)]);
  assert.match(event.text, /a stream event of \d+ bytes was too large to keep/);
});
