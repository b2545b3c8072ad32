// The contexts file: name → hive (socket or URL with a token file), its mistakes as sentences, and the hive a console starts on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { contextsFilePath, parseContexts, readContexts, startingContext } from './contexts.js';
import { ContextBoard, clientOptions } from './context-board.js';

const FILE = '/home/al/.config/hyperhive/contexts.json';

test('the contexts file lives under $XDG_CONFIG_HOME, else ~/.config', () => {
  assert.equal(contextsFilePath({ XDG_CONFIG_HOME: '/x/cfg' }, '/home/al'), '/x/cfg/hyperhive/contexts.json');
  assert.equal(contextsFilePath({}, '/home/al'), FILE);
  assert.equal(contextsFilePath({ XDG_CONFIG_HOME: 'relative' }, '/home/al'), FILE, 'a relative XDG_CONFIG_HOME is ignored, as the spec says');
});

test('contexts: a socket path or URL as a string or an object; ~ and relative paths resolved', () => {
  const contexts = parseContexts(
    JSON.stringify({
      local: '/run/hyperhive/host.sock',
      lab: 'http://10.0.0.5:7000/',
      prod: { url: 'https://hive.example.org', token_file: '~/.config/hyperhive/prod.token', read_only: true },
      ro: { socket: 'run/host-ro.sock' },
    }),
    FILE,
    '/home/al',
  );
  assert.deepEqual([...contexts.values()], [
    { name: 'local', readOnly: false, socketPath: '/run/hyperhive/host.sock' },
    { name: 'lab', readOnly: false, url: 'http://10.0.0.5:7000' },
    { name: 'prod', readOnly: true, url: 'https://hive.example.org', tokenFile: '/home/al/.config/hyperhive/prod.token' },
    { name: 'ro', readOnly: false, socketPath: '/home/al/.config/hyperhive/run/host-ro.sock' },
  ]);
});

test('a broken contexts file is a sentence naming the file and the entry', () => {
  const problem = (value: unknown) => {
    try {
      parseContexts(typeof value === 'string' ? value : JSON.stringify(value), FILE, '/home/al');
    } catch (err) {
      return (err as Error).message;
    }
    return 'no error';
  };
  assert.match(problem('{'), /contexts.json is not valid JSON/);
  assert.match(problem([]), /expected an object of context name → hive/);
  assert.match(problem({ 'bad name': '/s' }), /context "bad name": a name is 1–63 letters/);
  assert.match(problem({ a: { socket: '/s', url: 'http://h:1' } }), /context "a": give either "socket" or "url"/);
  assert.match(problem({ a: {} }), /give either "socket" or "url"/);
  assert.match(problem({ a: { socket: '/s', token_file: '/t' } }), /token_file goes with url/);
  assert.match(problem({ a: { url: 'http://h:1', colour: 'red' } }), /unknown key "colour"/);
  assert.match(problem({ a: { url: 'ftp://h' } }), /context "a": ftp:\/\/h: expected an http/);
  assert.match(problem({ a: { socket: '/s', read_only: 'yes' } }), /read_only must be true or false/);
  assert.match(problem({ a: 7 }), /expected a socket path, a URL, or an object/);
});

test('reading: no file means no contexts; an unreadable one says so', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-ctx-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  assert.equal(readContexts(path.join(dir, 'none.json')).size, 0);
  const file = path.join(dir, 'contexts.json');
  fs.writeFileSync(file, JSON.stringify({ a: '/s' }));
  assert.deepEqual([...readContexts(file).keys()], ['a']);
  fs.mkdirSync(path.join(dir, 'adir.json'));
  assert.throws(() => readContexts(path.join(dir, 'adir.json')), /cannot read .*adir.json/);
});

test('the starting hive: --context from the file, else the command line\'s own hive beside the file\'s', () => {
  const file = parseContexts(JSON.stringify({ prod: 'http://h:7000', local: '/s/host.sock' }), FILE, '/home/al');
  const byName = startingContext({ context: 'prod', socketPath: '/x', readOnly: true }, file, FILE);
  assert.equal(byName.current, 'prod');
  assert.equal(byName.contexts.get('prod')!.readOnly, true, '--read-only applies to the context it starts on');
  assert.throws(() => startingContext({ context: 'nope', socketPath: '/x', readOnly: false }, file, FILE), /no context "nope" in .*contexts.json \(it has prod, local\)/);
  const byUrl = startingContext({ url: 'http://127.0.0.1:7000', tokenFile: '/t', socketPath: '/x', readOnly: false }, file, FILE);
  assert.equal(byUrl.current, '127.0.0.1:7000');
  assert.deepEqual(byUrl.contexts.get('127.0.0.1:7000'), { name: '127.0.0.1:7000', readOnly: false, url: 'http://127.0.0.1:7000', tokenFile: '/t' });
  assert.deepEqual([...byUrl.contexts.keys()], ['prod', 'local', '127.0.0.1:7000']);
  const bySocket = startingContext({ socketPath: '/run/hyperhive/host.sock', readOnly: false }, new Map(), FILE);
  assert.deepEqual([bySocket.current, [...bySocket.contexts.keys()]], ['local', ['local']]);
});

test('a context\'s client: the socket, or HTTP with the token read from its file; the name shown only among several', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-ctx-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const token = path.join(dir, 'token');
  fs.writeFileSync(token, 'secret-secret-secret\n');
  assert.deepEqual(clientOptions({ name: 'a', readOnly: false, socketPath: '/s' }, false), { readOnly: false, socketPath: '/s' });
  assert.deepEqual(clientOptions({ name: 'b', readOnly: false, url: 'http://h:1', tokenFile: token }, true), { readOnly: false, context: 'b', http: { url: 'http://h:1', token: 'secret-secret-secret' } });
  assert.throws(() => clientOptions({ name: 'c', readOnly: false, url: 'http://h:1', tokenFile: path.join(dir, 'gone') }, true), /cannot read the token file .*gone: no such file/);
});

test('switching contexts: each hive keeps its own client; an unknown name or a bad token file leaves the shown one', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-ctx-'));
  const contexts = parseContexts(
    JSON.stringify({ one: path.join(dir, 'one.sock'), two: path.join(dir, 'two.sock'), broken: { url: 'http://127.0.0.1:1', token_file: path.join(dir, 'missing') } }),
    path.join(dir, 'contexts.json'),
  );
  const board = new ContextBoard(contexts, 'one');
  t.after(() => {
    board.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const one = board.client();
  let switches = 0;
  board.subscribe(() => switches++);
  assert.equal(board.switchTo('two'), undefined);
  assert.deepEqual([board.current, switches], ['two', 1]);
  assert.equal(one.getState().connection.context, 'one', 'the hidden hive keeps its own state');
  assert.equal(board.client('two').getState().connection.context, 'two');
  assert.equal(board.switchTo('one'), undefined);
  assert.equal(board.client('one'), one, 'coming back finds the same client, not a new one');
  assert.match(board.switchTo('nope')!, /no context "nope" — known: one, two, broken/);
  assert.match(board.switchTo('broken')!, /cannot read the token file/);
  assert.deepEqual([board.current, switches], ['one', 2]);
});
