/** The hive config file: one JSON object, validated at start, snake_case keys like the wire. */
import { z } from 'zod';
import { agentNameProblem } from './names.js';
import { BudgetsConfig } from './spend.js';
import { parseRule } from './permission-rules.js';
import { MAX_QUESTION_TTL_SECONDS } from './records.js';
import { DEFAULT_MODELS } from './models.js';

const CheckedName = z.string().superRefine((name, ctx) => {
  const problem = agentNameProblem(name);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** One tool-permission rule in Claude Code's syntax (`Bash(npm test:*)`); one that does not parse is a config error naming it. */
const RuleText = z.string().superRefine((text, ctx) => {
  const parsed = parseRule(text);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error });
});

/** Rules seeded from the config: tools claude may use without asking (`allow`) and never (`deny`, which wins). */
export const PermissionLists = z
  .strictObject({ allow: z.array(RuleText).max(10_000).default([]), deny: z.array(RuleText).max(10_000).default([]) })
  .default({ allow: [], deny: [] });
export type PermissionLists = z.infer<typeof PermissionLists>;

/** How one agent runs (also the template for agents created by an approved `spawn`). */
export const AgentConfig = z.strictObject({
  model: z.string().min(1).default('haiku'),
  command: z.array(z.string().min(1)).min(1).default(['claude']),
  parent: CheckedName.optional(),
  env: z.record(z.string(), z.string()).default({}),
  /** null = may message anyone; otherwise these names (the manager is always reachable). */
  allowed_recipients: z.array(CheckedName).nullable().default(null),
  extra_mcp_servers: z
    .record(z.string(), z.unknown())
    .refine((servers) => !Object.hasOwn(servers, 'hyperhive'), { message: '"hyperhive" is the hive\'s own MCP server and cannot be replaced' })
    .default({}),
  /** Keep a JSONL record of every live event under the agent's state dir (`run-record.jsonl`, rotating at 100 MiB). */
  run_record: z.boolean().default(false),
  /** Tool-permission rules for this agent only, beside the hive's. */
  permissions: PermissionLists,
});
export type AgentConfig = z.infer<typeof AgentConfig>;

/** Seconds one `nixos-container` command may take before it is stopped and reported as hung. */
const Seconds = (fallback: number) => z.number().int().positive().max(86_400).default(fallback);

/** Settings of the `nixos-container` backend (ignored by the others). */
export const NixosContainerConfig = z.strictObject({
  /** The `nixos-container` program: a name looked up on PATH, or an absolute path. */
  command: z.string().min(1).default('nixos-container'),
  /** Where `nixos-container create` writes `<container>.conf` (the backend adds the bind mounts there). */
  conf_dir: z.string().startsWith('/', 'expected an absolute path').default('/etc/nixos-containers'),
  /** nixpkgs' `nixos` folder the containers are built from (`--nixos-path`); unset = `<nixpkgs/nixos>` from NIX_PATH. */
  nixos_path: z.string().startsWith('/', 'expected an absolute path').optional(),
  /** A NixOS module file imported into every agent container (packages, claude-code, …). */
  agent_module: z.string().startsWith('/', 'expected an absolute path').optional(),
  /** How often the backend asks `nixos-container status` about each agent's container. */
  status_poll_seconds: Seconds(10),
  timeouts: z
    .strictObject({
      create_seconds: Seconds(900),
      update_seconds: Seconds(900),
      start_seconds: Seconds(120),
      stop_seconds: Seconds(120),
      destroy_seconds: Seconds(300),
      status_seconds: Seconds(20),
    })
    .default({ create_seconds: 900, update_seconds: 900, start_seconds: 120, stop_seconds: 120, destroy_seconds: 300, status_seconds: 20 }),
});
export type NixosContainerConfig = z.infer<typeof NixosContainerConfig>;

const Listen = z.union([
  z.literal('off'),
  z.string().regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'expected HOST:PORT or "off"'),
]);

const Positive = z.number().positive();

/**
 * How much the store keeps. Dashboard events go by count and bytes; each
 * agent's live events by count, bytes and age (the newest stay); handled
 * messages by bytes and age per inbox (the operator's included). Messages
 * not yet handled are never dropped, so each agent may have at most
 * `unread_mib_per_sender` of them outstanding before its sends are refused.
 */
export const RetentionConfig = z.strictObject({
  /** The dashboard channel, hive-wide (resumes from before what it keeps get a resync). */
  dashboard_events: z
    .strictObject({ max_events: z.number().int().min(100).default(100_000), max_mib: Positive.default(256) })
    .default({ max_events: 100_000, max_mib: 256 }),
  agent_events: z
    .strictObject({
      max_events: z.number().int().min(100).default(50_000),
      max_mib: Positive.default(64),
      max_days: Positive.default(30),
    })
    .default({ max_events: 50_000, max_mib: 64, max_days: 30 }),
  messages: z
    .strictObject({
      max_mib: Positive.default(16),
      max_days: Positive.default(30),
      unread_mib_per_sender: Positive.default(32),
    })
    .default({ max_mib: 16, max_days: 30, unread_mib_per_sender: 32 }),
});
export type RetentionConfig = z.infer<typeof RetentionConfig>;

/** Sampling the agents' processes (`process` backend): how often the core reads /proc for CPU and memory. */
export const ResourcesConfig = z.strictObject({
  sample_seconds: z.number().min(1).max(3600).default(5),
});
export type ResourcesConfig = z.infer<typeof ResourcesConfig>;

export const HiveConfig = z
  .strictObject({
    name: z.string().min(1).max(63),
    domain: z.string().nullable().default(null),
    state_dir: z.string().min(1).optional(),
    runtime_dir: z.string().min(1).optional(),
    http: z
      .strictObject({
        listen: Listen.default('127.0.0.1:7000'),
        /** A file whose first line is the bearer token that allows decisions over HTTP (and any request off loopback). */
        token_file: z.string().min(1).optional(),
        /** Event streams served at once; more are refused with 503. */
        max_streams: z.number().int().positive().max(10_000).default(256),
      })
      .default({ listen: '127.0.0.1:7000', max_streams: 256 }),
    backend: z.enum(['external', 'process', 'nixos-container']).default('process'),
    manager: CheckedName.nullable().default(null),
    /** Group that owns host.sock (mode 0660); unset = the daemon's own group. */
    socket_group: z.string().optional(),
    /** Consecutive output-less heartbeats after which a running turn is shown as stalled. */
    stall_heartbeats: z.number().int().positive().default(6),
    /** Models `set_model` accepts: names, or prefixes ending in `*` (`claude-*`). */
    models: z.array(z.string().min(1).max(100)).min(1).max(50).default([...DEFAULT_MODELS]),
    nixos_container: NixosContainerConfig.default(NixosContainerConfig.parse({})),
    /** Tool-permission rules for every agent. */
    permissions: PermissionLists,
    /** How long a tool call waits for the operator before it is denied; capped like question TTLs (6 h). */
    permission_timeout_seconds: z
      .number()
      .int()
      .positive()
      .default(600)
      .transform((s) => Math.min(s, MAX_QUESTION_TTL_SECONDS)),
    /** Template for agents created by an approved `spawn`. */
    agent_template: AgentConfig.default(AgentConfig.parse({})),
    agents: z.record(z.string(), AgentConfig).default({}),
    retention: RetentionConfig.default(RetentionConfig.parse({})),
    /** Daily (and per-turn) spend limits for the hive and its agents; see docs/protocol.md (Budgets). */
    budgets: BudgetsConfig.default(BudgetsConfig.parse({})),
    /**
     * Which agents log in to which claude account: a usage limit pauses every
     * agent of the account that hit it. Agents not listed share the account "default".
     */
    accounts: z.record(z.string().min(1).max(63), z.array(CheckedName)).default({}),
    /** Resume agents paused by a usage limit once claude's reset time has passed. */
    auto_resume_after_limit: z.boolean().default(false),
    resources: ResourcesConfig.default(ResourcesConfig.parse({})),
  })
  .superRefine((cfg, ctx) => {
    for (const [name, agent] of Object.entries(cfg.agents)) {
      const problem = agentNameProblem(name);
      if (problem) ctx.addIssue({ code: 'custom', path: ['agents', name], message: problem });
      if (agent.parent && !(agent.parent in cfg.agents)) {
        ctx.addIssue({ code: 'custom', path: ['agents', name, 'parent'], message: `parent "${agent.parent}" is not an agent of this hive` });
      }
    }
    for (const name of Object.keys(cfg.budgets.agents)) {
      const problem = agentNameProblem(name);
      if (problem) ctx.addIssue({ code: 'custom', path: ['budgets', 'agents', name], message: problem });
    }
    const accountOf = new Map<string, string>();
    for (const [account, members] of Object.entries(cfg.accounts)) {
      for (const name of members) {
        const other = accountOf.get(name);
        if (other !== undefined) ctx.addIssue({ code: 'custom', path: ['accounts', account], message: `"${name}" is already in account "${other}"; an agent logs in to one account` });
        accountOf.set(name, account);
      }
    }
    if (cfg.manager && !(cfg.manager in cfg.agents)) {
      ctx.addIssue({ code: 'custom', path: ['manager'], message: `manager "${cfg.manager}" is not an agent of this hive` });
    }
  });
export type HiveConfig = z.infer<typeof HiveConfig>;

/** A parsed config, or a one-line error naming the field. */
export type ParsedConfig = { ok: true; config: HiveConfig } | { ok: false; error: string };

/** Validate a decoded config file. */
export function parseHiveConfig(value: unknown): ParsedConfig {
  const result = HiveConfig.safeParse(value);
  if (result.success) return { ok: true, config: result.data };
  const issue = result.error.issues[0]!;
  const field = issue.path.length ? issue.path.join('.') : '(top level)';
  return { ok: false, error: `config field "${field}": ${issue.message}` };
}
