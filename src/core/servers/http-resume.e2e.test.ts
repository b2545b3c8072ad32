// End-to-end: following the dashboard over SSE with the clients' own subscription — 200 random disconnects lose and repeat nothing — and a slow SSE reader closed with `lagged` while another keeps up.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCore, waitFor, collectLines, type RunningCore } from '../../testing/hive.js';
import { openSse } from '../../testing/http.js';
import { JsonlConnection, Subscription, sseTransport, type SubscriptionLink, type SubscriptionTransport } from '../../protocol/index.js';

let core: RunningCore;

before(async () => {
  core = await startCore({ http: '127.0.0.1:0', config: { agents: { iris: {} } } });
});
after(async () => {
  await core.cleanup();
});

/** Every dashboard event after `since` as the store has it, read over the host socket. */
async function storedAfter(since: number, until: number): Promise<Record<string, unknown>[]> {
  const conn = await JsonlConnection.connect(core.hostSocket);
  const lines = collectLines(conn);
  await conn.request({ cmd: 'subscribe', since });
  await waitFor(() => lines.some((l) => l.seq === until), { what: `the store's events up to ${until}` });
  conn.close();
  return lines.filter((l) => typeof l.seq === 'number' && (l.seq as number) <= until);
}

test('200 random disconnects while events flow: every event arrives once, in order', async () => {
  const transport = sseTransport({ url: core.httpUrl! });
  let link: SubscriptionLink | null = null;
  let opens = 0;
  // The transport as the subscription sees it, with a handle on the open link so the test can cut it.
  const cuttable: SubscriptionTransport = {
    where: transport.where,
    async open(request, sink) {
      opens++;
      const opened = await transport.open(request, sink);
      link = opened;
      return opened;
    },
  };
  const received: Record<string, unknown>[] = [];
  let resets = 0;
  let firstSeq = -1;
  const subscription = new Subscription(
    cuttable,
    { kind: 'dashboard' },
    {
      onAck: (step, ack) => {
        if (step.reset) {
          resets++;
          firstSeq = ack.seq as number;
        }
      },
      onEvent: (ev) => void received.push(ev),
    },
    { backoff: { firstMs: 1, maxMs: 4 } },
  );
  subscription.start();
  await waitFor(() => firstSeq >= 0, { what: 'the first ack' });

  const producer = await JsonlConnection.connect(core.hostSocket);
  let producing = true;
  let sent = 0;
  const produce = (async () => {
    while (producing) {
      await producer.request({ cmd: 'send', to: 'iris', body: `event ${sent++}` });
      if (sent % 4 === 0) await new Promise((r) => setImmediate(r));
    }
  })();
  let cuts = 0;
  while (cuts < 200) {
    await new Promise((r) => setTimeout(r, Math.random() * 12));
    const current = link as SubscriptionLink | null;
    if (current) {
      link = null;
      current.close();
      cuts++;
    }
  }
  producing = false;
  await produce;
  const last = (await producer.request<{ id: number }>({ cmd: 'send', to: 'iris', body: 'the end' })).id;
  producer.close();
  await waitFor(() => received.some((e) => e.kind === 'sent' && e.id === last), { timeoutMs: 20_000, what: 'the last event' });
  subscription.stop();

  const finalSeq = received.at(-1)!.seq as number;
  const stored = await storedAfter(firstSeq, finalSeq);
  const seqs = received.map((e) => e.seq as number);
  assert.ok(opens > 200, `reconnected after every cut (${opens} opens)`);
  assert.equal(resets, 1, 'every reconnect resumed; none needed a fresh picture');
  assert.ok(sent > 200, `events flowed throughout (${sent} messages)`);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'in order');
  assert.equal(new Set(seqs).size, seqs.length, '0 duplicated');
  assert.deepEqual(seqs, stored.map((e) => e.seq), '0 lost: exactly the stored events');
  assert.deepEqual(received, stored, 'each event as stored');
});

test('a slow SSE reader is closed with lagged while another keeps up; it resumes from the lagged seq without gaps', async () => {
  const fast = await openSse(core.httpUrl!, '/api/dashboard/stream?kinds=sent');
  const slow = await openSse(core.httpUrl!, '/api/dashboard/stream?kinds=sent');
  try {
    await waitFor(() => fast.frames().some((f) => f.event === 'ack') && slow.frames().some((f) => f.event === 'ack'), { what: 'both acks' });
    slow.pause();
    const conn = await JsonlConnection.connect(core.hostSocket);
    const body = 'x'.repeat(60 * 1024);
    const ids: number[] = [];
    // More than the 8 MiB a subscriber may have queued, and what the kernel buffers besides.
    for (let i = 0; i < 250; i++) ids.push((await conn.request<{ id: number }>({ cmd: 'send', to: 'iris', body })).id);
    conn.close();
    await waitFor(() => fast.events().filter((e) => e.event === 'sent').length === ids.length, { timeoutMs: 30_000, what: 'the fast reader to have every event' });
    assert.deepEqual(fast.events().filter((e) => e.event === 'sent').map((e) => e.data.id), ids, 'the fast reader: every event, in order');
    assert.equal(fast.frames().some((f) => f.event === 'lagged'), false);

    slow.resume();
    await slow.ended;
    const frames = slow.frames();
    const lagged = frames.at(-1)!;
    assert.equal(lagged.event, 'lagged', 'the last frame says it fell behind');
    const laggedSeq = (JSON.parse(lagged.data!) as { kind: string; seq: number }).seq;
    const got = slow.events().filter((e) => e.event === 'sent');
    assert.ok(got.length < ids.length, `the slow reader got ${got.length} of ${ids.length} before it was closed`);
    assert.equal(Number(got.at(-1)!.id), laggedSeq, 'lagged names the last event it was given');

    const resumed = await openSse(core.httpUrl!, '/api/dashboard/stream?kinds=sent', { 'Last-Event-ID': String(laggedSeq) });
    try {
      await waitFor(() => resumed.events().filter((e) => e.event === 'sent').length === ids.length - got.length, { timeoutMs: 30_000, what: 'the rest after resuming' });
      const all = [...got, ...resumed.events().filter((e) => e.event === 'sent')].map((e) => e.data.id);
      assert.deepEqual(all, ids, 'nothing lost or repeated across the lagged close');
    } finally {
      resumed.close();
    }
  } finally {
    fast.close();
    slow.close();
  }
});

test('an agent stream resumed over SSE after more than fits one ack: the rest follows from the store, every event once', async () => {
  const events: Record<string, unknown>[] = [];
  let link: SubscriptionLink | null = null;
  // Reconnecting waits at this gate, so the test decides how much is missed meanwhile.
  let gate: Promise<void> = Promise.resolve();
  let openGate = () => {};
  const transport = sseTransport({ url: core.httpUrl! });
  const subscription = new Subscription(
    {
      where: transport.where,
      open: async (request, sink) => {
        await gate;
        return (link = await transport.open(request, sink));
      },
    },
    { kind: 'agent', name: 'iris', history: 0 },
    { onAck: (step) => void events.push(...step.events), onEvent: (ev) => void events.push(ev) },
    { backoff: { firstMs: 1, maxMs: 4 } },
  );
  subscription.start();
  try {
    await waitFor(() => link !== null, { what: 'the stream open' });
    const emit = (from: number, count: number) =>
      core.agentRequest('iris', { cmd: 'emit', events: Array.from({ length: count }, (_, i) => ({ kind: 'note', text: `${from + i} ${'x'.repeat(1000)}` })) });
    await emit(0, 10);
    await waitFor(() => events.length === 10, { what: 'the first events live' });
    // Cut the link, then emit ~3 MB: more than one ack line carries.
    gate = new Promise((resolve) => (openGate = resolve));
    const cut = link as SubscriptionLink | null;
    link = null;
    cut!.close();
    for (let i = 10; i < 3010; i += 1000) await emit(i, 1000);
    openGate();
    await waitFor(() => events.length >= 3010, { timeoutMs: 30_000, what: 'every event after the resume' });
    const numbers = events.map((e) => Number(String(e.text).split(' ')[0]));
    assert.deepEqual(numbers, Array.from({ length: 3010 }, (_, i) => i), 'every event once, in order');
  } finally {
    subscription.stop();
  }
});
