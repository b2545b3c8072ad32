// nix/module.nix, nix/package.nix and nix/agent-container.nix, checked with a bare
// nix-instantiate (Debian's nix-bin; CI installs it): they parse, and the module,
// evaluated against nix/tests/stub.nix, produces the unit, users, groups, tmpfiles,
// firewall and hive config an operator expects. A real NixOS evaluation is the next
// check (docs/nixos.md says how).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../src/testing/hive.js';
import { parseHiveConfig } from '../src/protocol/index.js';
import { renderContainerNix, type AgentContainerSpec } from '../src/core/lifecycle/container-files.js';

const nixMissing = spawnSync('nix-instantiate', ['--version']).error ? 'nix-instantiate is not installed (apt-get install nix-bin)' : false;
const nixDir = path.join(repoRoot, 'nix');

/** Evaluate `expr` (a function of `json`) with `value` passed as JSON; returns the JSON result. */
function evalNix<T = unknown>(expr: string, value: unknown = null): T {
  const out = execFileSync('nix-instantiate', ['--eval', '--strict', '--json', '-E', expr, '--argstr', 'json', JSON.stringify(value)], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out) as T;
}

/** The error text of an evaluation that must fail. */
function evalError(expr: string, value: unknown): string {
  const res = spawnSync('nix-instantiate', ['--eval', '--strict', '--json', '-E', expr, '--argstr', 'json', JSON.stringify(value)], { cwd: repoRoot, encoding: 'utf8' });
  assert.notEqual(res.status, 0, 'the evaluation fails');
  return res.stderr;
}

type Service = { serviceConfig: Record<string, unknown>; environment: Record<string, string>; path: string[]; after: string[]; wantedBy: string[] };
interface Evaluated {
  config: {
    assertions: { assertion: boolean; message: string }[];
    warnings: string[];
    users: { users?: Record<string, Record<string, unknown>>; groups: Record<string, { members?: string[] }> };
    environment: { systemPackages: string[]; sessionVariables: Record<string, string>; etc: Record<string, { source: string }> };
    systemd: { services: Record<string, Service>; tmpfiles: { rules: string[] } };
    networking?: { firewall?: { allowedTCPPorts: number[] }; nat?: { enable: boolean; internalInterfaces: string[]; externalInterface: string } };
    boot?: { enableContainers: boolean };
  };
  hive: Record<string, unknown>;
}

/** nix/module.nix with `services.hyperhive = hyperhive`, through the stub module evaluator. */
function evalModule(hyperhive: Record<string, unknown>): Evaluated {
  return evalNix<Evaluated>(
    `{ json }: let r = import ./nix/tests/eval-module.nix { configuration = { services.hyperhive = builtins.fromJSON json; }; };
     in { inherit (r) config; hive = r.config.environment.etc."hyperhive/hive.json".source.value or null; }`,
    hyperhive,
  );
}

const HARDENING = {
  NoNewPrivileges: true,
  ProtectSystem: 'strict',
  ProtectHome: true,
  PrivateTmp: true,
  ProtectKernelTunables: true,
  ProtectKernelModules: true,
  ProtectKernelLogs: true,
  ProtectControlGroups: true,
  RestrictAddressFamilies: ['AF_UNIX', 'AF_INET', 'AF_INET6'],
  SystemCallFilter: ['@system-service'],
  LockPersonality: true,
  MemoryDenyWriteExecute: false,
};

test('every Nix file parses', { skip: nixMissing }, () => {
  for (const file of ['module.nix', 'package.nix', 'agent-container.nix', 'tests/stub.nix', 'tests/eval-module.nix', 'tests/vm.nix']) {
    execFileSync('nix-instantiate', ['--parse', path.join(nixDir, file)], { stdio: ['ignore', 'ignore', 'pipe'] });
  }
});

test('the default: a hardened hyperhive-core unit, agents in containers, admins in hive-admin, the hive config in the store', { skip: nixMissing }, () => {
  const { config, hive } = evalModule({
    enable: true,
    adminUsers: ['alice', 'bob'],
    settings: { manager: 'boss', agents: { boss: { model: 'sonnet' } }, backend: 'process', http: { listen: '0.0.0.0:1' } },
  });
  const unit = config.systemd.services['hyperhive-core']!;
  const sc = unit.serviceConfig;
  assert.match(String(sc.ExecStart), /^\/nix\/store\/\w+-hyperhive-0\.1\.0\/bin\/hyperhive-core --config \/nix\/store\/\w+-hyperhive\.json --state-dir \/var\/lib\/hyperhive --runtime-dir \/run\/hyperhive$/);
  assert.equal(sc.Restart, 'on-failure');
  assert.deepEqual([sc.StateDirectory, sc.StateDirectoryMode, sc.RuntimeDirectory, sc.RuntimeDirectoryMode], ['hyperhive', '0750', 'hyperhive', '0751']);
  for (const [key, value] of Object.entries(HARDENING)) assert.deepEqual(sc[key], value, key);
  assert.equal(sc.User, 'root', 'nixos-container needs root');
  assert.equal(sc.CapabilityBoundingSet, undefined);
  assert.deepEqual(sc.SupplementaryGroups, ['hive-admin']);
  assert.deepEqual(unit.wantedBy, ['multi-user.target']);
  assert.ok(unit.path.some((p) => p.endsWith('-nixos-container')), 'nixos-container on the unit PATH');
  assert.equal(unit.environment.NIX_REMOTE, 'daemon');
  for (const dir of ['/etc/nixos-containers', '/var/lib/nixos-containers', '/nix/var/nix/profiles/per-container', '/run/lock']) {
    assert.ok((sc.ReadWritePaths as string[]).includes(dir), `${dir} writable`);
  }
  assert.ok(config.systemd.tmpfiles.rules.includes('d /etc/nixos-containers 0755 root root - -'));
  assert.equal(config.boot?.enableContainers, true);
  assert.equal(config.networking?.nat, undefined, 'NAT only when asked');
  assert.equal(config.networking?.firewall, undefined);

  assert.deepEqual(config.users.groups['hive-admin']!.members, ['alice', 'bob']);
  assert.equal(config.users.users?.hyperhive, undefined, 'no hyperhive user under the container backend');
  assert.ok(config.environment.systemPackages.some((p) => /-hyperhive-0\.1\.0$/.test(p)));
  assert.equal(config.environment.sessionVariables.HYPERHIVE_SOCKET, '/run/hyperhive/host.sock');
  assert.ok(config.assertions.every((a) => a.assertion));
  assert.deepEqual(config.warnings, []);

  // The options own backend, socket_group and http; the rest of settings is kept; the core accepts the result.
  assert.equal(hive.backend, 'nixos-container');
  assert.equal(hive.socket_group, 'hive-admin');
  assert.deepEqual(hive.http, { listen: '127.0.0.1:7000' });
  assert.equal(hive.name, 'hivehost');
  assert.equal(hive.manager, 'boss');
  assert.deepEqual(hive.nixos_container, { nixos_path: '/nix/store/00000000000000000000000000000000-nixpkgs/nixos' });
  const parsed = parseHiveConfig(hive);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
});

test('the process backend: the dedicated hyperhive user, no capabilities, custom dirs, public HTTP with a token, firewall, NAT', { skip: nixMissing }, () => {
  const { config, hive } = evalModule({
    enable: true,
    backend: 'process',
    stateDir: '/srv/hive',
    runtimeDir: '/run/hives/one',
    socketGroup: 'operators',
    http: { listen: '0.0.0.0:7443', tokenFile: '/run/secrets/hive-token' },
    openFirewall: true,
    containers: { natInterface: 'eth0' },
    settings: { name: 'prod', agents: { iris: {} } },
  });
  const sc = config.systemd.services['hyperhive-core']!.serviceConfig;
  assert.equal(sc.User, 'hyperhive');
  assert.equal(sc.Group, 'hyperhive');
  assert.deepEqual(sc.CapabilityBoundingSet, ['']);
  assert.deepEqual(config.users.users?.hyperhive, { isSystemUser: true, group: 'hyperhive', home: '/srv/hive', description: 'hyperhive core and agents' });
  assert.deepEqual(config.users.groups.operators, { members: [] });
  assert.equal(sc.StateDirectory, undefined, '/srv is not systemd\'s StateDirectory');
  assert.equal(sc.RuntimeDirectory, 'hives/one');
  assert.deepEqual(config.systemd.tmpfiles.rules, ['d /srv/hive 0750 hyperhive hyperhive - -']);
  assert.deepEqual(sc.ReadWritePaths, ['/srv/hive', '/run/hives/one']);
  assert.match(String(sc.ExecStart), /--state-dir \/srv\/hive --runtime-dir \/run\/hives\/one$/);
  assert.deepEqual(sc.LoadCredential, ['http-token:/run/secrets/hive-token']);
  assert.deepEqual(config.networking?.firewall?.allowedTCPPorts, [7443]);
  assert.equal(config.networking?.nat, undefined, 'no containers, no NAT');
  assert.equal(config.boot, undefined);
  assert.deepEqual(config.systemd.services['hyperhive-core']!.path, []);
  assert.equal(config.environment.sessionVariables.HYPERHIVE_SOCKET, '/run/hives/one/host.sock');
  assert.ok(config.assertions.every((a) => a.assertion));
  assert.deepEqual(hive.http, { listen: '0.0.0.0:7443', token_file: '/run/credentials/hyperhive-core.service/http-token' });
  assert.equal(hive.backend, 'process');
  assert.equal(hive.socket_group, 'operators');
  assert.equal(hive.nixos_container, undefined);
  assert.ok(parseHiveConfig(hive).ok);

  const contained = evalModule({ enable: true, containers: { natInterface: 'eth0', extraModule: '/etc/nixos/hive-agent.nix' }, http: { listen: null } });
  assert.deepEqual(contained.config.networking?.nat, { enable: true, internalInterfaces: ['ve-h-+'], externalInterface: 'eth0' });
  assert.deepEqual(contained.hive.http, { listen: 'off' });
  assert.equal((contained.hive.nixos_container as Record<string, unknown>).agent_module, '/etc/nixos/hive-agent.nix');
  assert.ok(parseHiveConfig(contained.hive).ok);
});

test('mistakes are caught at evaluation: a public listener without a token, a firewall with nothing to open, a bad value', { skip: nixMissing }, () => {
  const open = evalModule({ enable: true, http: { listen: '0.0.0.0:7000' } });
  assert.deepEqual(
    open.config.assertions.filter((a) => !a.assertion).map((a) => a.message),
    ['services.hyperhive.http.listen = "0.0.0.0:7000" is not a loopback address; set services.hyperhive.http.tokenFile, or listen on 127.0.0.1.'],
  );
  assert.deepEqual(evalModule({ enable: true, openFirewall: true }).config.warnings, ['services.hyperhive.openFirewall opens nothing: http.listen is loopback.']);
  assert.match(evalError(`{ json }: import ./nix/tests/eval-module.nix { configuration = { services.hyperhive = builtins.fromJSON json; }; }`, { enable: true, backend: 'docker' }), /option services\.hyperhive\.backend: "docker" is not a one of nixos-container, process, external/);
  assert.match(evalError(`{ json }: import ./nix/tests/eval-module.nix { configuration = { services.hyperhive = builtins.fromJSON json; }; }`, { enable: true, adminUser: ['x'] }), /undeclared options: services\.hyperhive\.adminUser/);
  assert.deepEqual(evalModule({ enable: false, adminUsers: ['alice'] }).config, {}, 'disabled: nothing at all');
});

test('package.nix builds with buildNpmPackage from a clean source, a hash placeholder, and wraps every program package.json names', { skip: nixMissing }, () => {
  const pkg = evalNix<Record<string, unknown>>(
    `{ json }: let s = import ./nix/tests/stub.nix; p = s.pkgs.callPackage ./nix/package.nix { }; in
     { inherit (p) pname version npmDepsHash installPhase doCheck; keeps = map (n: p.src.filter "/src/\${n}" "directory") [ "src" "nix" "node_modules" "dist" ".git" ".hyperhive" ]; }`,
  );
  const packageJson = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };
  assert.equal(pkg.pname, 'hyperhive');
  assert.equal(pkg.version, packageJson.version);
  assert.equal(pkg.npmDepsHash, 'sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', 'the documented placeholder');
  assert.deepEqual(pkg.keeps, [true, true, false, false, false, false]);
  assert.match(String(pkg.installPhase), /cp -r package\.json dist node_modules nix \$dest\//);
  assert.match(String(pkg.installPhase), /jq -r '\.bin \| to_entries\[\]/);
  assert.deepEqual(Object.keys(packageJson.bin).sort(), ['hyperhive', 'hyperhive-agent', 'hyperhive-core', 'hyperhive-tui']);
  for (const entry of Object.values(packageJson.bin)) assert.ok(entry.startsWith('dist/'), `${entry} is in the installed tree`);
  // The backend finds the container template where the package installs it.
  assert.ok(fs.existsSync(path.join(repoRoot, 'nix', 'agent-container.nix')));
});

test('the container file the backend writes evaluates to the harness service, its argv intact through Nix and the shell', { skip: nixMissing }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-nixc-'));
  try {
    const spec: AgentContainerSpec = {
      agent: 'iris',
      container: 'h-iris',
      argv: ['/nix/store/x-node/bin/node', '/x/main.js', 'run', '--socket', '/run/hive/mcp.sock', '--command', `["claude","it's ${'${HOME}'} \\"q\\" $(no)"]`],
      environment: { HOME: '/root', TOKEN_NAME: 'a b' },
      extra_module: path.join(dir, 'extra.nix'),
    };
    fs.writeFileSync(path.join(dir, 'extra.nix'), '{ ... }: { environment.etc.marker.text = "extra"; }');
    const file = path.join(dir, 'h-iris.nix');
    fs.writeFileSync(file, renderContainerNix(spec, path.join(nixDir, 'agent-container.nix')));
    const evaluated = evalNix<{ service: Record<string, unknown>; imports: string[] }>(
      `{ json }: let s = import ./nix/tests/stub.nix; m = (import ${file}) { lib = s.lib; }; in
       { service = m.systemd.services.hyperhive-agent; imports = map toString m.imports; }`,
    );
    const service = evaluated.service as { script: string; environment: Record<string, string>; wantedBy: string[]; serviceConfig: Record<string, unknown>; path: string[] };
    assert.deepEqual(service.environment, spec.environment);
    assert.deepEqual(service.wantedBy, ['multi-user.target']);
    assert.equal(service.serviceConfig.Restart, 'on-failure');
    assert.equal(service.serviceConfig.WorkingDirectory, '/state');
    assert.deepEqual(evaluated.imports, [spec.extra_module]);
    assert.match(service.script, /^exec /);
    const printed = execFileSync('bash', ['-c', service.script.replace(/^exec /, "printf '%s\\0' ")], { encoding: 'utf8' });
    assert.deepEqual(printed.split('\0').slice(0, -1), spec.argv, 'bash hands the harness exactly the argv the backend meant');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
