// The JSON-lines client against a real Unix socket server that answers with lines the client cannot use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { JsonlConnection, UnreadableAnswerError } from './client.js';
import { MAX_LINE_BYTES } from './jsonl.js';

/** A server that answers the n-th request line with `answers[n]` (raw, newline added). */
async function scriptedServer(answers: (string | Buffer)[]): Promise<{ socketPath: string; close: () => void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-client-'));
  const socketPath = path.join(dir, 's.sock');
  let next = 0;
  const server = net.createServer((socket) => {
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) !== -1) {
        buffered = buffered.slice(nl + 1);
        const answer = answers[next++];
        if (answer !== undefined) socket.write(Buffer.concat([Buffer.from(answer), Buffer.from('\n')]));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return { socketPath, close: () => { server.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

test('an oversize answer fails its own request with a sentence; the next request gets its own answer', async () => {
  const huge = JSON.stringify({ version: 1, ok: true, blob: 'x'.repeat(MAX_LINE_BYTES + 10) });
  const server = await scriptedServer([huge, '{"version":1,"ok":true,"n":2}', '[1,2]', 'not json', '{"version":1,"ok":true,"n":5}']);
  const conn = await JsonlConnection.connect(server.socketPath);
  const skipped: string[] = [];
  conn.on('bad_line', (reason) => skipped.push(reason));
  try {
    const answers = [1, 2, 3, 4, 5].map((n) => conn.request({ cmd: 'list', n }).then((v) => v, (err: Error) => err));
    const [first, second, third, fourth, fifth] = await Promise.all(answers);
    assert.ok(first instanceof UnreadableAnswerError, String(first));
    assert.match(first.message, new RegExp(`larger than the ${MAX_LINE_BYTES} byte limit; it was skipped`));
    assert.deepEqual(second, { version: 1, ok: true, n: 2 }, 'the line after the oversize one answers the second request');
    assert.ok(third instanceof UnreadableAnswerError && /not a JSON object/.test(third.message));
    assert.ok(fourth instanceof UnreadableAnswerError && /not a JSON object.*not json/.test(fourth.message));
    assert.deepEqual(fifth, { version: 1, ok: true, n: 5 });
    assert.equal(skipped.length, 3, 'each skipped line is said on bad_line');
    assert.equal(conn.isClosed, false, 'the connection stays usable');
  } finally {
    conn.close();
    server.close();
  }
});

test('an oversize line on a subscription is skipped visibly and the stream goes on', async () => {
  const server = await scriptedServer([
    Buffer.concat([
      Buffer.from('{"version":1,"ok":true,"seq":1}\n'),
      Buffer.from(`{"kind":"sent","seq":2,"body":"${'y'.repeat(MAX_LINE_BYTES)}"}\n`),
      Buffer.from('{"kind":"sent","seq":3,"body":"small"}'),
    ]),
  ]);
  const conn = await JsonlConnection.connect(server.socketPath);
  const lines: Record<string, unknown>[] = [];
  const skipped: string[] = [];
  conn.on('bad_line', (reason) => skipped.push(reason));
  try {
    const ack = await conn.request({ cmd: 'subscribe' });
    assert.equal(ack.seq, 1);
    conn.on('line', (line) => lines.push(line));
    const deadline = Date.now() + 5000;
    while (lines.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(lines.map((l) => l.seq), [3]);
    assert.equal(skipped.length, 1);
  } finally {
    conn.close();
    server.close();
  }
});
