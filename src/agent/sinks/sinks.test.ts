import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAX_LINE_BYTES, MAX_LIVE_EVENT_BYTES, type LiveEventInput } from '../../protocol/index.js';
import { AgentStore } from '../agent-store.js';
import { FanoutSink, type EventSink, type StampedEvent } from './sink.js';
import { ForwardSink } from './forward-sink.js';
import { JsonlSink, rotatedPath } from './jsonl-sink.js';
import { SqliteHistorySink } from './sqlite-sink.js';
import { LogSink } from './log-sink.js';

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'hh-sinks-'));
}

function note(i: number): StampedEvent {
  return { kind: 'note', text: `event ${i}`, ts_ms: 1_700_000_000_000 + i };
}

test('jsonl: truncated at open, one {index, emitted_at_ms, …event} line per event', async () => {
  const dir = tmpDir();
  const file = path.join(dir, 'run.jsonl');
  fs.writeFileSync(file, 'old content from a previous run\n');
  const sink = new JsonlSink(file, 1024 * 1024, 2);
  sink.write(note(0));
  sink.write({ kind: 'turn_end', ok: true, ts_ms: 5 });
  await sink.close();
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines, [
    { index: 0, emitted_at_ms: 1_700_000_000_000, frame_depth: 2, kind: 'note', text: 'event 0', ts_ms: 1_700_000_000_000 },
    { index: 1, emitted_at_ms: 5, frame_depth: 2, kind: 'turn_end', ok: true, ts_ms: 5 },
  ]);
  fs.rmSync(dir, { recursive: true });
});

test('jsonl: rotates to name-000001.jsonl past the size limit, no line split, indexes continue', async () => {
  const dir = tmpDir();
  const file = path.join(dir, 'run.jsonl');
  const sink = new JsonlSink(file, 1000);
  for (let i = 0; i < 60; i++) sink.write(note(i));
  await sink.close();
  assert.equal(rotatedPath(file, 1), path.join(dir, 'run-000001.jsonl'));
  const files = fs.readdirSync(dir).sort();
  assert.ok(files.length >= 3, `expected rotation, got ${files.join(', ')}`);
  const rotated = files.filter((f) => f !== 'run.jsonl');
  assert.deepEqual(rotated, rotated.map((_, i) => `run-${String(i + 1).padStart(6, '0')}.jsonl`));
  const ordered = ['run.jsonl', ...rotated];
  const indexes: number[] = [];
  for (const f of ordered) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    assert.ok(Buffer.byteLength(text) <= 1000, `${f} is ${Buffer.byteLength(text)} bytes`);
    for (const line of text.trim().split('\n')) indexes.push(JSON.parse(line).index);
  }
  assert.deepEqual(indexes, Array.from({ length: 60 }, (_, i) => i));
  fs.rmSync(dir, { recursive: true });
});

class ThrowingSink implements EventSink {
  readonly name = 'broken';
  writes = 0;
  write(): void {
    this.writes++;
    throw new Error('disk on fire');
  }
  async flush(): Promise<void> {
    throw new Error('flush on fire');
  }
  async close(): Promise<void> {}
}

class MemorySink implements EventSink {
  readonly name = 'memory';
  events: StampedEvent[] = [];
  flushed = 0;
  write(e: StampedEvent): void {
    this.events.push(e);
  }
  async flush(): Promise<void> {
    this.flushed++;
  }
  async close(): Promise<void> {}
}

test('fan-out: a failing sink is logged (not once per event) and the others still get everything', async () => {
  const broken = new ThrowingSink();
  const memory = new MemorySink();
  const logged: string[] = [];
  const fanout = new FanoutSink([broken, memory], (m) => logged.push(m));
  for (let i = 0; i < 100; i++) fanout.write(note(i));
  await fanout.flush();
  assert.equal(memory.events.length, 100);
  assert.equal(memory.flushed, 1);
  assert.equal(broken.writes, 100);
  assert.equal(fanout.failureCounts().get('broken'), 101);
  assert.ok(logged.length > 0 && logged.length <= 8, `logged ${logged.length} lines`);
  assert.match(logged[0]!, /sink broken failed .*disk on fire/);
});

test('forward: events reach the core in order, in batches, and wait out an absent core', async () => {
  const received: LiveEventInput[] = [];
  let reachable = false;
  let calls = 0;
  const logged: string[] = [];
  const sink = new ForwardSink(async (events) => {
    calls++;
    if (!reachable) throw new Error('connect ENOENT');
    received.push(...events);
    return { ok: true };
  }, (m) => logged.push(m), { batchSize: 100, lingerMs: 1 });
  for (let i = 0; i < 1000; i++) sink.write(note(i));
  await assert.rejects(sink.flush(), /did not take/);
  assert.equal(received.length, 0);
  assert.ok(logged.some((l) => /cannot forward live events: connect ENOENT/.test(l)));
  reachable = true;
  await sink.flush();
  assert.deepEqual(received.map((e) => (e as { text: string }).text), Array.from({ length: 1000 }, (_, i) => `event ${i}`));
  assert.ok(calls >= 10, `expected at least 10 batches, saw ${calls}`);
  assert.equal(sink.queued, 0);
  await sink.close();
});

test('forward: over the queue bound, the oldest go and a note says how many', async () => {
  const received: LiveEventInput[] = [];
  let reachable = false;
  const sink = new ForwardSink(async (events) => {
    if (!reachable) throw new Error('down');
    received.push(...events);
    return { ok: true };
  }, () => undefined, { batchSize: 1000, lingerMs: 1, maxQueued: 50 });
  for (let i = 0; i < 80; i++) sink.write(note(i));
  reachable = true;
  await sink.flush();
  assert.match((received[0] as { text: string }).text, /^30 live events were dropped/);
  assert.deepEqual(received.slice(1).map((e) => (e as { text: string }).text), Array.from({ length: 50 }, (_, i) => `event ${i + 30}`));
  await sink.close();
});

test('forward: a batch the core refuses is logged and not resent forever', async () => {
  const logged: string[] = [];
  let calls = 0;
  const sink = new ForwardSink(async () => {
    calls++;
    return { ok: false, error: 'bad emit request' };
  }, (m) => logged.push(m), { lingerMs: 1 });
  sink.write(note(1));
  await sink.flush();
  await sink.flush();
  assert.equal(calls, 1);
  assert.match(logged[0]!, /core refused 1 live events: bad emit request/);
  await sink.close();
});

test('forward: batches stay under the line cap however large the events; an event over 64 KiB is cut before it is sent', async () => {
  const lines: string[] = [];
  const received: LiveEventInput[] = [];
  const sink = new ForwardSink(async (events) => {
    lines.push(JSON.stringify({ cmd: 'emit', events }));
    received.push(...events);
    return { ok: true };
  }, () => undefined, { batchSize: 1000, lingerMs: 1 });
  for (let i = 0; i < 300; i++) sink.write({ kind: 'note', ts_ms: i, text: `${i} `.padEnd(50_000, 'b') } as StampedEvent);
  sink.write({ kind: 'note', ts_ms: 300, text: 'huge '.padEnd(2_000_000, 'h') } as StampedEvent);
  await sink.flush();
  assert.ok(lines.length >= 20, `${lines.length} emits`);
  for (const line of lines) assert.ok(Buffer.byteLength(line) < MAX_LINE_BYTES, `an emit of ${Buffer.byteLength(line)} bytes`);
  assert.deepEqual(received.slice(0, 300).map((e) => (e as { text: string }).text.split(' ')[0]), Array.from({ length: 300 }, (_, i) => String(i)), 'all of them, in order');
  const huge = received[300] as { text: string; full_bytes?: number };
  assert.ok(Buffer.byteLength(JSON.stringify(huge)) <= MAX_LIVE_EVENT_BYTES);
  assert.match(huge.text, /^huge h+\[… \d+ bytes cut\]$/);
  assert.ok(huge.full_bytes! > 2_000_000);
  await sink.close();
});

test('sqlite history: batched, capped to the newest N', async () => {
  const dir = tmpDir();
  const store = new AgentStore(path.join(dir, 'agent.sqlite'));
  const sink = new SqliteHistorySink(store, 500);
  for (let i = 0; i < 2500; i++) sink.write(note(i));
  await sink.flush();
  assert.equal(store.eventCount(), 500);
  assert.equal((store.recentEvents(1)[0] as { text: string }).text, 'event 2499');
  store.vacuum();
  store.close();
  fs.rmSync(dir, { recursive: true });
});

test('log sink: one sanitized line per noteworthy event, none for stream or heartbeat', () => {
  const lines: string[] = [];
  const sink = new LogSink((l) => lines.push(l));
  sink.write({ kind: 'stream', data: { type: 'assistant' }, ts_ms: 1 });
  sink.write({ kind: 'heartbeat', elapsed_secs: 1, stdout_bytes: 0, stdout_delta_bytes: 0, stagnant_heartbeats: 1, pid: 1, pid_alive: true, ts_ms: 1 });
  sink.write({ kind: 'note', text: 'stderr: \u001b[31mboom\u001b[0m', ts_ms: 1 });
  assert.deepEqual(lines, ['note: stderr: boom']);
});
