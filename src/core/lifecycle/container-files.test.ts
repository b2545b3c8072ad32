import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bindMountProblem, confWithBinds, nixString, parseContainerNix, renderContainerNix, type AgentContainerSpec } from './container-files.js';

const spec: AgentContainerSpec = {
  agent: 'iris',
  container: 'h-iris',
  argv: ['/nix/store/x-node/bin/node', '/x/main.js', 'run', '--command', '["claude","--say","${HOME} \\"quoted\\" \'single\'"]'],
  environment: { HOME: '/root', WEIRD: 'a\nb\t${c}\\' },
  extra_module: null,
};

test('the generated Nix file carries the spec exactly, whatever its strings hold', () => {
  const text = renderContainerNix(spec, '/repo/nix/agent-container.nix');
  assert.match(text, /^# Written by hyperhive-core for agent iris \(container h-iris\)/);
  assert.match(text, /^import \/repo\/nix\/agent-container\.nix \(builtins\.fromJSON "/m);
  assert.ok(!/[^\\]\$\{/.test(text.split('\n')[1]!), 'no unescaped ${ reaches Nix');
  assert.deepEqual(parseContainerNix(text), spec);
  assert.equal(parseContainerNix('{ }'), null);
  assert.throws(() => renderContainerNix(spec, '/with space/agent-container.nix'), /cannot hold/);
  assert.equal(nixString('a"b\\c${d}'), '"a\\"b\\\\c\\${d}"');
});

test('bind mounts replace EXTRA_NSPAWN_FLAGS and keep the rest of the conf file', () => {
  const conf = 'PRIVATE_NETWORK=1\nHOST_ADDRESS=10.233.1.1\nEXTRA_NSPAWN_FLAGS="--bind=/old:/old"\nAUTO_START=0\n';
  const binds = [
    { host: '/run/hyperhive/agents/iris', container: '/run/hive' },
    { host: '/var/lib/hyperhive/agents/iris', container: '/state' },
  ];
  const next = confWithBinds(conf, binds);
  assert.equal(next, 'PRIVATE_NETWORK=1\nHOST_ADDRESS=10.233.1.1\nAUTO_START=0\nEXTRA_NSPAWN_FLAGS="--bind=/run/hyperhive/agents/iris:/run/hive --bind=/var/lib/hyperhive/agents/iris:/state"\n');
  assert.equal(confWithBinds(next, binds), next, 'idempotent');
  assert.equal(confWithBinds('AUTO_START=0', binds).split('\n')[0], 'AUTO_START=0');
});

test('paths nixos-container cannot carry in a bind flag are refused with a sentence', () => {
  assert.equal(bindMountProblem([{ host: '/var/lib/hyperhive/agents/iris', container: '/state' }]), null);
  for (const bad of ['/var/lib/my hive', '/srv/a:b', 'relative/dir', '/srv/$HOME', '/srv/*', '/srv/"q"']) {
    assert.match(bindMountProblem([{ host: bad, container: '/state' }]) ?? '', /cannot be bind-mounted into a container/, bad);
  }
});
