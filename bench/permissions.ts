/**
 * Benchmark: tool permissions.
 *
 * 1. Decision → allow: a real hyperhive-core, the real `hyperhive-agent mcp`
 *    and the real MCP SDK client calling `permission_prompt` as claude does.
 *    The clock starts when the operator's `approve` line is written to
 *    host.sock and stops when the client holds the allow. Baseline in the same
 *    run: a trivial MCP tool call (`whoami`) round trip through the same
 *    client, server and agent socket.
 * 2. Rule lookup: 1,000 rules (commands over many programs, file patterns,
 *    domains, MCP servers, some per agent) and a mix of calls, through the
 *    core's index. Baseline in the same run: the same rules read one by one.
 *
 * Run: node dist/bench/permissions.js [--decisions 200] [--lookups 200000]
 */
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { JsonlConnection, evaluateRules, parseRule, ruleKeysOf, type EffectiveRule, type PermissionRule, type ToolCall } from '../src/protocol/index.js';
import { RuleIndex, type IndexedRule } from '../src/core/permissions/index.js';
import { numberFlag, startBenchCore } from './core-support/launch.js';

const TARGET_DECISION_P99_MS = 50;
const TARGET_LOOKUP_US = 50;
const AGENT_ENTRY = fileURLToPath(new URL('../src/agent/main.js', import.meta.url));

const decisions = numberFlag('decisions', 200);
const lookups = numberFlag('lookups', 200_000);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summary(samples: number[]): { p50: number; p99: number; text: string } {
  const sorted = [...samples].sort((a, b) => a - b);
  const p50 = percentile(sorted, 50);
  const p99 = percentile(sorted, 99);
  return { p50, p99, text: `p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${sorted.at(-1)!.toFixed(2)} ms (n=${sorted.length})` };
}

async function decisionLatency(): Promise<boolean> {
  const core = await startBenchCore(['iris']);
  const transport = new StdioClientTransport({ command: process.execPath, args: [AGENT_ENTRY, 'mcp', '--socket', core.agentSocket('iris'), '--name', 'iris'], stderr: 'ignore' });
  const client = new Client({ name: 'bench', version: '0' });
  try {
    await client.connect(transport);
    const feed = await JsonlConnection.connect(core.hostSocket);
    await feed.request({ cmd: 'subscribe', kinds: ['approval_added'] });
    const added: number[] = [];
    let wake: (() => void) | null = null;
    // approval_added carries the approval's fields flat (docs/protocol.md).
    feed.on('line', (line) => {
      if (line.kind === 'approval_added' && typeof line.id === 'number') added.push(line.id);
      wake?.();
    });
    const nextApproval = async (): Promise<number> => {
      while (added.length === 0) await new Promise<void>((r) => (wake = r));
      return added.shift()!;
    };
    const operator = await JsonlConnection.connect(core.hostSocket);
    const baseline: number[] = [];
    const samples: number[] = [];
    for (let i = -20; i < decisions; i++) {
      const t0 = performance.now();
      await client.callTool({ name: 'whoami', arguments: {} });
      if (i >= 0) baseline.push(performance.now() - t0);

      const asked = client.callTool({ name: 'permission_prompt', arguments: { tool_name: 'Bash', input: { command: `npm test -- --shard=${i}` }, tool_use_id: `toolu_bench${i + 20}` } }, undefined, { timeout: 60_000 });
      // A call that ends before its approval is queued is a broken bench, not a wait forever.
      const id = await Promise.race([nextApproval(), asked.then((r) => Promise.reject(new Error(`permission_prompt answered before any approval was queued: ${JSON.stringify(r.content)}`)))]);
      const start = performance.now();
      let allowedAt = 0;
      const heard = asked.then((result) => {
        allowedAt = performance.now();
        const text = (result.content as { text: string }[])[0]!.text;
        if (JSON.parse(text).behavior !== 'allow') throw new Error(`expected an allow, got ${text}`);
      });
      heard.catch(() => undefined); // awaited below; a failure meanwhile must not end the process before the core is stopped
      const answer = await operator.request({ cmd: 'approve', id, actor: 'bench' });
      if (answer.ok !== true) throw new Error(`approve #${id} refused: ${JSON.stringify(answer)}`);
      await heard;
      if (i >= 0) samples.push(allowedAt - start);
    }
    feed.close();
    operator.close();
    const result = summary(samples);
    const base = summary(baseline);
    console.log(`permissions: decision → allow received by the MCP client, ${decisions} decisions (after 20 warm-up)`);
    console.log(`  approve on host.sock → allow in the client: ${result.text}`);
    console.log(`  baseline, a whoami MCP round trip: ${base.text}`);
    console.log(`  ratio (p50): ${(result.p50 / base.p50).toFixed(2)}× a plain tool call`);
    const pass = result.p99 <= TARGET_DECISION_P99_MS;
    console.log(`  ${pass ? 'PASS' : 'FAIL'}: p99 ≤ ${TARGET_DECISION_P99_MS} ms`);
    return pass;
  } finally {
    await client.close().catch(() => undefined);
    await core.stop();
  }
}

/** 1,000 rules of every kind; a tenth per agent, a fifth deny. */
function thousandRules(): PermissionRule[] {
  const programs = Array.from({ length: 150 }, (_, i) => `tool${i}`);
  const texts: string[] = [];
  for (let i = 0; texts.length < 600; i++) texts.push(`Bash(${programs[i % programs.length]} ${['test', 'build', 'run lint', 'status', 'deploy'][i % 5]}:*)`);
  for (let i = 0; i < 100; i++) texts.push(`Bash(${programs[i]} * --dry-run)`);
  for (let i = 0; i < 150; i++) texts.push(`Edit(src/module${i}/**)`);
  for (let i = 0; i < 50; i++) texts.push(`Read(~/notes/${i}/*.md)`);
  for (let i = 0; i < 60; i++) texts.push(`WebFetch(domain:docs${i}.example.com)`);
  for (let i = 0; i < 40; i++) texts.push(`mcp__server${i}__tool${i}`);
  return texts.map((rule, i) => ({
    id: i + 1,
    rule,
    effect: i % 5 === 0 ? 'deny' : 'allow',
    agent: i % 10 === 0 ? `agent${i % 7}` : null,
    source: 'operator',
    created_at: 0,
    hits: 0,
  }));
}

function lookupSpeed(): boolean {
  const records = thousandRules();
  const index = new RuleIndex();
  const all: IndexedRule[] = [];
  for (const record of records) {
    const parsed = parseRule(record.rule);
    if (!parsed.ok) throw new Error(parsed.error);
    const rule = { record, compiled: parsed.rule };
    index.add(rule);
    all.push(rule);
  }
  const ctx = { workDir: '/var/lib/hyperhive/agents/iris/work', home: '/home/hive' };
  const calls: ToolCall[] = [
    { tool_name: 'Bash', input: { command: 'tool41 build --watch=false' } },
    { tool_name: 'Bash', input: { command: 'tool7 build && tool8 status | tool9 run lint' } },
    { tool_name: 'Bash', input: { command: 'unknown-program --version' } },
    { tool_name: 'Edit', input: { file_path: `${ctx.workDir}/src/module120/a/b.ts`, old_string: 'a', new_string: 'b' } },
    { tool_name: 'Write', input: { file_path: `${ctx.workDir}/docs/x.md`, content: '' } },
    { tool_name: 'WebFetch', input: { url: 'https://docs33.example.com/page', prompt: '' } },
    { tool_name: 'mcp__server12__tool12', input: {} },
    { tool_name: 'Read', input: { file_path: '/home/hive/notes/7/today.md' } },
  ];
  const agent = 'agent3';
  const naive = (call: ToolCall) => {
    const keys = ruleKeysOf(call.tool_name);
    const candidates = (): Iterable<EffectiveRule<IndexedRule>> =>
      all.filter((r) => keys.includes(r.compiled.tool) && (r.record.agent === null || r.record.agent === agent)).map((r) => ({ effect: r.record.effect, compiled: r.compiled, ref: r }));
    return evaluateRules(call, ctx, candidates);
  };
  // Both must say the same thing about every call.
  for (const call of calls) {
    const a = index.evaluate(agent, call, ctx, 1);
    const b = naive(call);
    if (a.verdict !== b.verdict) throw new Error(`index and scan disagree on ${JSON.stringify(call)}: ${a.verdict} vs ${b.verdict}`);
  }
  const time = (fn: (call: ToolCall) => unknown, n: number) => {
    for (let i = 0; i < 2000; i++) fn(calls[i % calls.length]!);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn(calls[i % calls.length]!);
    return ((performance.now() - t0) * 1000) / n;
  };
  const indexedUs = time((call) => index.evaluate(agent, call, ctx, 1), lookups);
  const naiveUs = time(naive, Math.max(2000, Math.floor(lookups / 20)));
  console.log(`permissions: rule lookup with ${records.length} rules, ${lookups} lookups over ${calls.length} kinds of call`);
  console.log(`  indexed: ${indexedUs.toFixed(2)} µs per call`);
  console.log(`  baseline, every rule read in turn: ${naiveUs.toFixed(2)} µs per call (${(naiveUs / indexedUs).toFixed(1)}× slower)`);
  const pass = indexedUs < TARGET_LOOKUP_US;
  console.log(`  ${pass ? 'PASS' : 'FAIL'}: < ${TARGET_LOOKUP_US} µs per call`);
  return pass;
}

try {
  const lookupOk = lookupSpeed();
  const decisionOk = await decisionLatency();
  if (!lookupOk || !decisionOk) process.exitCode = 1;
} catch (err) {
  console.error(`permissions bench failed: ${(err as Error).stack ?? err}`);
  process.exitCode = 2;
}
