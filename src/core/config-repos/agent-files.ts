/**
 * What an agent's config repo holds: `agent.json` (its config entry, checked
 * by the hive config's own schema) and `CLAUDE.md` (its standing
 * instructions). Pure: text in, a config or a sentence out.
 */
import { AgentConfig } from '../../protocol/index.js';

export const AGENT_JSON = 'agent.json';
export const CLAUDE_MD = 'CLAUDE.md';
/** Largest `agent.json` the core reads. */
export const MAX_AGENT_JSON_BYTES = 64 * 1024;
/** Largest `CLAUDE.md` the core places in a work dir. */
export const MAX_CLAUDE_MD_BYTES = 256 * 1024;

/** What `agent.json` must agree with beyond its schema: the agent it belongs to and the hive's agents. */
export interface AgentJsonContext {
  name: string;
  agents: readonly string[];
}

export type ParsedAgentJson = { ok: true; config: AgentConfig } | { ok: false; error: string };

/** Check `agent.json` as the hive config checks an agent's entry; the error names the field. */
export function parseAgentJson(text: string, ctx: AgentJsonContext): ParsedAgentJson {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `${AGENT_JSON} is not valid JSON: ${(err as Error).message}` };
  }
  const result = AgentConfig.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = issue.path.length ? issue.path.join('.') : '(top level)';
    return { ok: false, error: `${AGENT_JSON} field "${field}": ${issue.message}` };
  }
  const config = result.data;
  if (config.parent === ctx.name) return { ok: false, error: `${AGENT_JSON} field "parent": ${ctx.name} cannot be its own parent` };
  if (config.parent && !ctx.agents.includes(config.parent)) {
    return { ok: false, error: `${AGENT_JSON} field "parent": "${config.parent}" is not an agent of this hive` };
  }
  return { ok: true, config };
}

/** `agent.json` as the core writes it. */
export function renderAgentJson(config: AgentConfig): string {
  return JSON.stringify(config, null, 2) + '\n';
}

/** The standing instructions a new agent starts with. */
export function defaultClaudeMd(name: string, hive: string, parent: string | undefined): string {
  return [
    `# ${name}`,
    '',
    `You are ${name}, an agent of the hive "${hive}"${parent ? `, working for ${parent}` : ''}.`,
    'Use the hyperhive tools to talk to the other agents and to the operator.',
    '',
  ].join('\n');
}

/** A unified diff that creates `files` (what a new agent would start with). */
export function newFilesDiff(files: readonly { path: string; text: string }[]): string {
  const out: string[] = [];
  for (const { path, text } of files) {
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    out.push(`diff --git a/${path} b/${path}`, 'new file mode 100644', '--- /dev/null', `+++ b/${path}`);
    if (lines.length > 0) out.push(`@@ -0,0 +1${lines.length === 1 ? '' : `,${lines.length}`} @@`, ...lines.map((l) => `+${l}`));
    if (!text.endsWith('\n') && text !== '') out.push('\\ No newline at end of file');
  }
  return out.length ? out.join('\n') + '\n' : '';
}
