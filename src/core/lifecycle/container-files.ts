/**
 * The files the nixos-container backend writes: the per-agent Nix file handed
 * to `nixos-container create/update --config-file`, and the bind mounts it
 * adds to the container's `<conf_dir>/<container>.conf`. Pure text in, text out.
 */

/** Where an agent's host paths appear inside its container. */
export const CONTAINER_PATHS = {
  socketDir: '/run/hive',
  socket: '/run/hive/mcp.sock',
  state: '/state',
  claude: '/root/.claude',
  home: '/root',
  /** The agent's applied config repo (read-only): the approved CLAUDE.md. */
  applied: '/hive/applied',
  /** In the manager's container: every agent's proposed config repo, by name. */
  configRepos: '/hive/config',
} as const;

/** What the container's `hyperhive-agent` service runs; read by `nix/agent-container.nix`. */
export interface AgentContainerSpec {
  agent: string;
  container: string;
  /** The harness command line (node first), with container paths. */
  argv: string[];
  environment: Record<string, string>;
  /** A NixOS module imported into the container, or null. */
  extra_module: string | null;
}

/** One `--bind=HOST:CONTAINER` (or `--bind-ro=`) of systemd-nspawn. */
export interface BindMount {
  host: string;
  container: string;
  readOnly?: boolean;
}

/**
 * The container's unit word-splits EXTRA_NSPAWN_FLAGS unquoted, and `:`
 * separates a bind's two paths: only plain path characters survive that.
 */
const PLAIN_PATH = /^\/[A-Za-z0-9._/+@-]*$/;

/** Why `binds` cannot be written to a container's conf file, or null. */
export function bindMountProblem(binds: readonly BindMount[]): string | null {
  for (const bind of binds) {
    if (!PLAIN_PATH.test(bind.host)) {
      return `${JSON.stringify(bind.host)} cannot be bind-mounted into a container: nixos-container's bind flags carry only absolute paths of letters, digits and . _ / + @ -; choose a state and runtime dir without other characters`;
    }
  }
  return null;
}

const FLAGS_LINE = /^EXTRA_NSPAWN_FLAGS=.*$\n?/gm;

/** `conf` with its EXTRA_NSPAWN_FLAGS replaced by `binds` (other settings kept). */
export function confWithBinds(conf: string, binds: readonly BindMount[]): string {
  const kept = conf.replace(FLAGS_LINE, '');
  const flags = binds.map((b) => `--bind${b.readOnly ? '-ro' : ''}=${b.host}:${b.container}`).join(' ');
  return `${kept}${kept === '' || kept.endsWith('\n') ? '' : '\n'}EXTRA_NSPAWN_FLAGS="${flags}"\n`;
}

/** A Nix string literal holding `text`. */
export function nixString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$\{/g, '\\${').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

/** The Nix file `nixos-container` imports for one agent: the shared template applied to its spec. */
export function renderContainerNix(spec: AgentContainerSpec, templatePath: string): string {
  if (!PLAIN_PATH.test(templatePath)) throw new Error(`the container template path ${JSON.stringify(templatePath)} has characters a Nix path cannot hold`);
  return [
    `# Written by hyperhive-core for agent ${spec.agent} (container ${spec.container}); rewritten on every create and update.`,
    `import ${templatePath} (builtins.fromJSON ${nixString(JSON.stringify(spec))})`,
    '',
  ].join('\n');
}

/** The spec inside a file written by `renderContainerNix`, or null when it is not one. */
export function parseContainerNix(text: string): AgentContainerSpec | null {
  const match = /builtins\.fromJSON "((?:[^"\\]|\\.)*)"\)/.exec(text);
  if (!match) return null;
  const json = match[1]!.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
  try {
    return JSON.parse(json) as AgentContainerSpec;
  } catch {
    return null;
  }
}
