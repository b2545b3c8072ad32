/**
 * Benchmark: full-text search over the agents' stored streams.
 *
 * 1. Ingest with and without the index, in one run: the same batches of
 *    realistic live events (event-mix.ts) appended by the core's event log
 *    to two fresh stores, one without the index, one with its worker thread
 *    indexing beside it as in the core, in alternating rounds, with
 *    retention at its defaults (so pruning, and the index's share of it, is
 *    in the figures). Twice: batches as a harness sends them while a turn
 *    runs (1–20 events), and bulk batches (1000, a backlog). Target: the
 *    index slows ingest by at most 20 % (ratio ≤ 1.20). Also printed: how
 *    fast the worker indexes, and how far behind it was when ingest ended.
 *    The same work done inside ingest's transactions is printed for
 *    comparison (why the index has its own thread).
 * 2. Queries over a store seeded with 1,000,000 events: the `search` verb's
 *    whole work (index, events read back, snippets, turns), a page of 50
 *    hits (the default), for common words, rare words, phrases, prefixes, an agent filter,
 *    a deep page and a miss. Target: p95 ≤ 50 ms.
 *
 * Run: node dist/bench/search.js [--events 1000000] [--agents 20] [--ingest 120000] [--rounds 6] [--repeat 30]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../src/core/store/index.js';
import { AgentEventLog, type AgentEventRetention } from '../src/core/events/agent-event-log.js';
import { EventSearch } from '../src/core/search/event-search.js';
import { SearchIndexerThread } from '../src/core/search/search-indexer-thread.js';
import { SearchIndexer } from '../src/core/search/search-indexer.js';
import { openReader, openSearchStore } from '../src/core/search/search-store.js';
import { isRefusal } from '../src/core/refusal.js';
import { DEFAULT_SEARCH_HITS, type LiveEventInput } from '../src/protocol/index.js';
import { EventMix } from './search-support/event-mix.js';
import { numberFlag } from './core-support/launch.js';

const TARGET_RATIO = 1.2;
const TARGET_P95_MS = 50;

const totalEvents = numberFlag('events', 1_000_000);
const agentCount = numberFlag('agents', 20);
const ingestEvents = numberFlag('ingest', 120_000);
const rounds = numberFlag('rounds', 6);
const repeat = numberFlag('repeat', 30);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hyperhive-bench-search-'));
const agents = Array.from({ length: agentCount }, (_, i) => `agent-${i}`);

/** `count` events as batches for the agents in turn: each batch `size()` events of one agent's stream. */
function batches(count: number, size: () => number, seed: number): { agent: string; events: LiveEventInput[] }[] {
  const mixes = agents.map((_, i) => new EventMix(seed + i));
  const pending = agents.map(() => [] as LiveEventInput[]);
  const out: { agent: string; events: LiveEventInput[] }[] = [];
  let made = 0;
  for (let a = 0; made < count; a = (a + 1) % agents.length) {
    while (pending[a]!.length < 1000) pending[a]!.push(...mixes[a]!.nextTurn());
    const n = Math.min(size(), count - made);
    out.push({ agent: agents[a]!, events: pending[a]!.splice(0, n) });
    made += n;
  }
  return out;
}

function openStore(name: string): Db {
  return openDatabase(path.join(dir, `${name}.sqlite`));
}

/** Milliseconds to append `work` to `log` (and, when given, to index each batch right after it, on this thread). */
function timeAppends(log: AgentEventLog, work: readonly { agent: string; events: LiveEventInput[] }[], inline?: SearchIndexer): number {
  const start = performance.now();
  for (const b of work) {
    log.append(b.agent, b.events);
    if (inline) while (inline.indexSlice());
  }
  return performance.now() - start;
}

/** A store whose index is kept by the worker thread, as the core keeps it. */
function indexedStore(name: string, retention?: AgentEventRetention): { db: Db; log: AgentEventLog; thread: SearchIndexerThread } {
  const db = openStore(name);
  const log = new AgentEventLog(db, retention);
  const thread = new SearchIndexerThread({ storeFile: path.join(dir, `${name}.sqlite`), indexFile: path.join(dir, `${name}-search.sqlite`) }, () => log.currentSeq, (m) => console.error(m));
  log.onChange = () => thread.notify();
  thread.start();
  return { db, log, thread };
}

interface IngestFigures {
  plainRate: number;
  indexedRate: number;
  ratio: number;
  inlineRatio: number;
  /** Seqs not yet indexed when the last append returned. */
  behind: number;
  /** Events per second the worker indexed, from the first append until it caught up. */
  indexRate: number;
}

/** Ingest without the index, with its worker, and with the index inside ingest, alternating rounds on fresh stores. */
async function ingestRatio(label: string, batchSize: () => number): Promise<IngestFigures> {
  const plainDb = openStore(`plain-${label}`);
  const plain = new AgentEventLog(plainDb);
  const indexed = indexedStore(`indexed-${label}`);
  const inlineDb = openStore(`inline-${label}`);
  const inline = new AgentEventLog(inlineDb);
  const inlineIndexDb = openSearchStore(path.join(dir, `inline-${label}-search.sqlite`));
  const inlineIndexer = new SearchIndexer(inlineDb, inlineIndexDb);
  const perRound = Math.floor(ingestEvents / rounds);
  let plainMs = 0;
  let indexedMs = 0;
  let inlineMs = 0;
  let seed = 1;
  const indexStart = performance.now();
  for (let r = 0; r < rounds; r++) {
    const work = batches(perRound, batchSize, (seed += 1000));
    // Rotate which goes first, so none always meets a warm cache or a busy neighbour.
    const runs = [() => (plainMs += timeAppends(plain, work)), () => (indexedMs += timeAppends(indexed.log, work)), () => (inlineMs += timeAppends(inline, work, inlineIndexer))];
    for (let i = 0; i < runs.length; i++) runs[(i + r) % runs.length]!();
    // Let the worker's reports in between rounds, as the core's event loop would between emits.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const behind = indexed.log.currentSeq - indexed.thread.indexedThrough;
  await indexed.thread.caughtUp();
  const indexSeconds = (performance.now() - indexStart) / 1000;
  await indexed.thread.close();
  for (const db of [plainDb, indexed.db, inlineDb, inlineIndexDb]) db.close();
  const events = perRound * rounds;
  return {
    plainRate: events / (plainMs / 1000),
    indexedRate: events / (indexedMs / 1000),
    ratio: indexedMs / plainMs,
    inlineRatio: inlineMs / plainMs,
    behind,
    indexRate: events / indexSeconds,
  };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<number> {
  console.log(`search benchmark: ${agentCount} agents, ingest ${ingestEvents} events per variant in ${rounds} rounds, then queries over ${totalEvents} stored events`);
  const random = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo + 1));
  let ok = true;
  for (const [label, size] of [
    ['harness batches (1–20 events)', () => random(1, 20)],
    ['bulk batches (1000 events)', () => 1000],
  ] as const) {
    const r = await ingestRatio(label.split(' ')[0]!, size);
    const pass = r.ratio <= TARGET_RATIO;
    ok &&= pass;
    console.log(`ingest, ${label}:`);
    console.log(`  without index ${Math.round(r.plainRate)} events/s, with index ${Math.round(r.indexedRate)} events/s — ratio ${r.ratio.toFixed(2)} (target ≤ ${TARGET_RATIO}) ${pass ? 'ok' : 'MISSED'}`);
    console.log(`  the worker indexed ${Math.round(r.indexRate)} events/s; ${r.behind} seqs behind when ingest ended`);
    console.log(`  (the index written inside ingest's transactions instead: ratio ${r.inlineRatio.toFixed(2)})`);
  }

  // Retention that keeps every seeded event: the figure is for a store of that size.
  const seeded = indexedStore('seeded', { maxEvents: Math.ceil(totalEvents / agentCount) + 1000, maxBytes: 2 ** 40, maxAgeSeconds: 365 * 86_400 });
  const { db, log } = seeded;
  const seedStart = performance.now();
  let appended = 0;
  for (const b of batches(totalEvents, () => 1000, 7)) {
    log.append(b.agent, b.events);
    // Yield now and then, so the worker's reports come in as they would in the core.
    if (++appended % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await seeded.thread.caughtUp();
  const seedSeconds = (performance.now() - seedStart) / 1000;
  await seeded.thread.close();
  db.pragma('wal_checkpoint(TRUNCATE)');
  const mib = (name: string) => fs.statSync(path.join(dir, name)).size / 2 ** 20;
  console.log(`seeded and indexed ${totalEvents} events in ${seedSeconds.toFixed(1)} s; store ${mib('seeded.sqlite').toFixed(0)} MiB, index ${mib('seeded-search.sqlite').toFixed(0)} MiB`);

  const index = openReader(path.join(dir, 'seeded-search.sqlite'));
  const search = new EventSearch(db, index);
  const middle = Math.floor(log.currentSeq / 2);
  const queries: { label: string; query: string; agent?: string; before?: number }[] = [
    { label: 'common word', query: 'test' },
    { label: 'two common words', query: 'flaky test' },
    { label: 'phrase', query: '"npm test"' },
    { label: 'three words', query: 'manager approve review' },
    { label: 'rare word', query: 'agentEventLog' },
    { label: 'prefix', query: 'dash*' },
    { label: 'agent filter', query: 'error', agent: agents[agentCount - 1] },
    { label: 'agent + two words', query: 'slow query', agent: agents[3] },
    { label: 'deep page', query: 'build', before: middle },
    { label: 'no match', query: 'qqqzzzxxy' },
  ];
  const all: number[] = [];
  console.log('query                 hits  p50 ms  p95 ms  max ms');
  for (const q of queries) {
    const times: number[] = [];
    let hits = 0;
    for (let i = 0; i < repeat; i++) {
      const start = performance.now();
      const page = search.search(q.query, { limit: DEFAULT_SEARCH_HITS, ...(q.agent !== undefined && { agent: q.agent }), ...(q.before !== undefined && { before: q.before }) });
      times.push(performance.now() - start);
      if (isRefusal(page)) throw new Error(`${q.label}: ${page.error}`);
      hits = page.hits.length;
    }
    times.sort((a, b) => a - b);
    all.push(...times);
    console.log(`${q.label.padEnd(20)} ${String(hits).padStart(5)} ${percentile(times, 50).toFixed(2).padStart(7)} ${percentile(times, 95).toFixed(2).padStart(7)} ${times.at(-1)!.toFixed(2).padStart(7)}`);
  }
  all.sort((a, b) => a - b);
  const p95 = percentile(all, 95);
  const pass = p95 <= TARGET_P95_MS;
  ok &&= pass;
  console.log(`all queries over ${totalEvents} events: p50 ${percentile(all, 50).toFixed(2)} ms, p95 ${p95.toFixed(2)} ms (target ≤ ${TARGET_P95_MS} ms) ${pass ? 'ok' : 'MISSED'}`);
  index.close();
  db.close();
  return ok ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(code);
