// The HTTP API's access rules as pure functions: listen addresses, the Host check against DNS rebinding, bearer tokens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bearerToken, hostAllowed, httpAccess, isLoopback, parseListen, readServerToken, tokenMatches } from './http-access.js';

test('listen addresses split into host and port; loopback is 127/8, ::1 and localhost', () => {
  assert.deepEqual(parseListen('127.0.0.1:7000'), { host: '127.0.0.1', port: 7000 });
  assert.deepEqual(parseListen('[::1]:0'), { host: '::1', port: 0 });
  assert.deepEqual(parseListen('LocalHost:80'), { host: 'localhost', port: 80 });
  assert.equal(parseListen('127.0.0.1'), null);
  assert.equal(parseListen('127.0.0.1:70000'), null);
  for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost']) assert.equal(isLoopback(h), true, h);
  for (const h of ['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', 'localhost.evil.com', '127.0.0.1.nip.io']) assert.equal(isLoopback(h), false, h);
});

test('the Host header must name this server: a rebinding name is refused', () => {
  const loop = { host: '127.0.0.1', port: 7000 };
  for (const h of ['127.0.0.1:7000', 'localhost:7000', '[::1]:7000', '127.0.0.1:7000 ']) assert.equal(hostAllowed(h, loop, null), true, h);
  for (const h of [undefined, '', 'evil.com:7000', 'evil.com', '127.0.0.1:7001', '127.0.0.1', '127.0.0.1.nip.io:7000', 'a@127.0.0.1:7000']) {
    assert.equal(hostAllowed(h, loop, null), false, String(h));
  }
  assert.equal(hostAllowed('hive.example.org', loop, 'hive.example.org'), true, 'the hive\'s own domain (a proxy in front)');
  const wild = { host: '0.0.0.0', port: 7000 };
  assert.equal(hostAllowed('192.168.1.5:7000', wild, null), true, 'an IP literal on a wildcard listener');
  assert.equal(hostAllowed(`${os.hostname()}:7000`, wild, null), true, 'this machine\'s name');
  assert.equal(hostAllowed('attacker.example:7000', wild, null), false);
  const port80 = { host: '127.0.0.1', port: 80 };
  assert.equal(hostAllowed('127.0.0.1', port80, null), true, 'the default port may be left out');
});

test('bearer tokens: parsed from the header, compared in constant time', () => {
  assert.equal(bearerToken(undefined), null);
  assert.equal(bearerToken('Bearer abc'), 'abc');
  assert.equal(bearerToken('bearer  abc '), 'abc');
  assert.equal(bearerToken('Basic abc'), undefined);
  assert.equal(bearerToken('Bearer'), undefined);
  assert.equal(tokenMatches('a'.repeat(32), 'a'.repeat(32)), true);
  assert.equal(tokenMatches('a'.repeat(32), 'a'.repeat(31) + 'b'), false);
  assert.equal(tokenMatches('short', 'a'.repeat(32)), false);
});

test('the token file must be private, long and one word; a non-loopback listener needs one', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-tok-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string, mode = 0o600) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text, { mode });
    fs.chmodSync(p, mode);
    return p;
  };
  assert.equal(readServerToken(file('good', 'x'.repeat(40) + '\n')), 'x'.repeat(40));
  assert.throws(() => readServerToken(path.join(dir, 'missing')), /cannot read the token file .*no such file/);
  assert.throws(() => readServerToken(file('empty', '\n')), /is empty/);
  assert.throws(() => readServerToken(file('short', 'abc')), /shorter than 16 characters/);
  assert.throws(() => readServerToken(file('open', 'x'.repeat(40), 0o644)), /readable by every user/);
  assert.throws(() => readServerToken(file('spaced', 'x'.repeat(20) + ' ' + 'y'.repeat(20))), /whitespace/);
  assert.throws(() => httpAccess('0.0.0.0:7000', undefined), /not a loopback address: set http.token_file/);
  assert.deepEqual(httpAccess('0.0.0.0:7000', file('good2', 'z'.repeat(32))), { listen: { host: '0.0.0.0', port: 7000 }, token: 'z'.repeat(32) });
  assert.deepEqual(httpAccess('127.0.0.1:0', undefined), { listen: { host: '127.0.0.1', port: 0 }, token: null });
});
