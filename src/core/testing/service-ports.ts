/**
 * Test support: the ports a core service takes, over an in-memory store. The
 * unit of work and the dashboard channel are the real ones; the agent
 * directory, the status hook and the mail record what a service asked of them.
 */
import { openDatabase, type Db } from '../store/index.js';
import { DashboardChannel } from '../events/index.js';
import { StoreUnitOfWork } from '../unit-of-work.js';
import type { AgentMail, AgentDirectory, KnownAgent, ServicePorts } from '../ports.js';
import { AgentConfig, type HelperEvent } from '../../protocol/index.js';

export interface TestPorts extends ServicePorts {
  db: Db;
  dashboard: DashboardChannel;
  /** Agents named in `statusChanged` calls, in order. */
  statusChanges: string[];
  /** Helper events handed to `mail.notify`, in order. */
  notified: { agent: string; event: HelperEvent }[];
  /** Messages handed to `mail.post`, in order. */
  posted: { from: string; agent: string; body: string }[];
  /** Committed dashboard events, oldest first. */
  events(): Record<string, unknown>[];
  /** Audit rows, oldest first. */
  audits(): { actor: string | null; action: string; target: string | null; detail: unknown }[];
}

/** Ports over a fresh `:memory:` store (or the store at `file`, to reopen it as a restarted core would); `agents` maps names to config fields (defaults filled in). */
export function testPorts(options: { agents?: Record<string, Partial<AgentConfig>>; manager?: string; file?: string } = {}): TestPorts {
  const db = openDatabase(options.file ?? ':memory:');
  const dashboard = new DashboardChannel(db);
  const known = new Map<string, KnownAgent>();
  for (const [name, fields] of Object.entries(options.agents ?? {})) known.set(name, { name, config: AgentConfig.parse(fields) });
  const agents: AgentDirectory = {
    agent: (name) => known.get(name),
    agentNames: () => [...known.keys()].sort(),
    manager: options.manager ?? null,
  };
  const statusChanges: string[] = [];
  const notified: TestPorts['notified'] = [];
  const posted: TestPorts['posted'] = [];
  const mail: AgentMail = {
    notify: (agent, event) => void notified.push({ agent, event }),
    post: (from, agent, body) => void posted.push({ from, agent, body }),
  };
  return {
    db,
    dashboard,
    work: new StoreUnitOfWork(db, dashboard),
    agents,
    statusChanged: (name) => void statusChanges.push(name),
    mail,
    statusChanges,
    notified,
    posted,
    events: () => (dashboard.replay(0, null) ?? []).map((line) => JSON.parse(line) as Record<string, unknown>),
    audits: () =>
      (db.prepare('SELECT actor, action, target, detail_json FROM audit ORDER BY id').all() as { actor: string | null; action: string; target: string | null; detail_json: string | null }[]).map(
        (r) => ({ actor: r.actor, action: r.action, target: r.target, detail: r.detail_json === null ? null : (JSON.parse(r.detail_json) as unknown) }),
      ),
  };
}
