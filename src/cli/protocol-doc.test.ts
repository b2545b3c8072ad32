/**
 * docs/protocol.md stays true to src/protocol: every request example parses
 * with the real schemas on the socket its section is about, every response
 * example has the envelope, and every verb, event kind and error code is
 * documented.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  AgentRequest, DASHBOARD_EVENT_KINDS, DashboardEvent, ErrorCode, HostRequest, LIVE_EVENT_KINDS, ResponseEnvelope, parseAgentRequest, parseHostRequest,
} from '../protocol/index.js';
import { repoRoot } from '../testing/hive.js';

const doc = readFileSync(`${repoRoot}/docs/protocol.md`, 'utf8');

/** The text of the `## title` section (up to the next `## `). */
function section(title: string): string {
  const start = doc.indexOf(`\n## ${title}\n`);
  assert.notEqual(start, -1, `docs/protocol.md has a "## ${title}" section`);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end === -1 ? undefined : end);
}

/** Example lines `→ {…}` / `← {…}` without elisions (`…`), parsed. */
function examples(text: string, arrow: '→' | '←'): unknown[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${arrow} {`) && !line.includes('…'))
    .map((line) => JSON.parse(line.slice(2)) as unknown);
}

test('host-socket request examples are valid host requests', () => {
  const text = section('Host socket verbs') + section('Subscriptions, seq and resume');
  const requests = examples(text, '→');
  assert.ok(requests.length >= 25, `found ${requests.length} examples`);
  for (const request of requests) {
    const parsed = parseHostRequest(request);
    assert.ok(parsed.ok, `${JSON.stringify(request)}: ${parsed.ok ? '' : parsed.error}`);
  }
});

test('agent-socket request examples are valid agent requests', () => {
  const requests = examples(section('Agent socket verbs'), '→');
  assert.ok(requests.length >= 12, `found ${requests.length} examples`);
  for (const request of requests) {
    const parsed = parseAgentRequest(request);
    assert.ok(parsed.ok, `${JSON.stringify(request)}: ${parsed.ok ? '' : parsed.error}`);
  }
});

test('response examples carry the envelope, failures a known code', () => {
  const responses = examples(doc, '←').filter((r) => typeof r === 'object' && r !== null && 'version' in r);
  assert.ok(responses.length >= 30, `found ${responses.length} examples`);
  for (const response of responses) {
    const envelope = ResponseEnvelope.parse(response);
    assert.equal(envelope.version, 1);
    if (!envelope.ok) {
      assert.ok(envelope.error, JSON.stringify(response));
      assert.ok(ErrorCode.safeParse(envelope.code).success, JSON.stringify(response));
    }
  }
});

test('every verb, event kind and error code is documented', () => {
  const mentioned = (name: string) => doc.includes(`\`${name}\``) || doc.includes(`"${name}"`);
  for (const option of HostRequest.options) assert.ok(mentioned(option.shape.cmd.value), `host verb ${option.shape.cmd.value}`);
  for (const option of AgentRequest.options) assert.ok(mentioned(option.shape.cmd.value), `agent verb ${option.shape.cmd.value}`);
  const dashboard = section('Dashboard events');
  for (const kind of DASHBOARD_EVENT_KINDS) assert.ok(dashboard.includes(`| \`${kind}\` |`), `dashboard event ${kind}`);
  const live = section('Agent live events');
  for (const kind of LIVE_EVENT_KINDS) assert.ok(live.includes(`| \`${kind}\` |`), `live event ${kind}`);
  const errors = section('Envelope and errors');
  for (const code of ErrorCode.options) assert.ok(errors.includes(`| \`${code}\` |`), `error code ${code}`);
});

test('dashboard event examples parse, and every field the table names is in the schema', () => {
  const text = section('Dashboard events');
  const lines = text.split('\n').filter((line) => line.startsWith('{"kind":') && !line.includes('…'));
  assert.ok(lines.length >= 2, `found ${lines.length} examples`);
  for (const line of lines) {
    const parsed = DashboardEvent.safeParse(JSON.parse(line));
    assert.ok(parsed.success, `${line}: ${parsed.success ? '' : parsed.error.message}`);
  }
  for (const option of DashboardEvent.options) {
    const kind = option.shape.kind.value;
    const row = text.split('\n').find((line) => line.startsWith(`| \`${kind}\` |`))!;
    const [, fields = '', additions = ''] = row.split(' | ');
    // Each cell names fields in backticks first (a description may follow in parentheses).
    const named = [...`${fields} ${additions}`.replace(/\([^)]*\)/g, '').matchAll(/`([a-z_]+)`/g)].map((m) => m[1]!);
    for (const field of named) assert.ok(field in option.shape, `${kind}.${field} is in the schema`);
    for (const field of Object.keys(option.shape)) {
      if (!['kind', 'seq', 'at'].includes(field)) assert.ok(named.includes(field), `${kind}.${field} is in the table`);
    }
  }
});
