/**
 * Tool-permission rules in Claude Code's syntax: `Tool` or `Tool(specifier)`.
 *
 * - `Bash(npm run build)` is that command exactly; `Bash(npm test:*)` is
 *   `npm test` and anything after it (a word boundary: not `npm testx`); a
 *   `*` anywhere matches any text, and a trailing ` *` may match nothing
 *   (`Bash(ls *)` is `ls` and `ls -la`, not `lsof`). A compound command
 *   (`a && b`, `a | b`, `a; b`) is allowed only when every part is, and
 *   denied when any part is; one that substitutes commands (`$(…)`,
 *   backquotes) is never allowed by a rule.
 * - `Read(path)` / `Edit(path)`: file patterns (path-pattern.ts). `Edit`
 *   covers every tool that changes files (Edit, MultiEdit, Write,
 *   NotebookEdit), `Read` those that read them (Read, Grep, Glob, LS).
 * - `WebFetch(domain:example.com)`: that host; `domain:*.example.com` its
 *   subdomains.
 * - `mcp__server` or `mcp__server__*`: every tool of that MCP server;
 *   `mcp__server__tool`: that tool.
 * - `Tool` or `Tool(*)`: every use of the tool.
 */
import { PreparedPath, compilePathPattern, preparedPathMatches, type PathContext, type PathPattern } from './path-pattern.js';
import { firstWord, splitShellCommand } from './shell-command.js';


/** Longest rule text accepted. */
export const MAX_RULE_LENGTH = 1000;

/** Tools an `Edit(…)` rule covers. */
export const FILE_EDIT_TOOLS: readonly string[] = ['Edit', 'MultiEdit', 'Write', 'NotebookEdit'];
/** Tools a `Read(…)` rule covers. */
export const FILE_READ_TOOLS: readonly string[] = ['Read', 'Grep', 'Glob', 'LS'];

/** What a rule's specifier matches. */
export type RuleMatcher =
  | { kind: 'any' }
  | { kind: 'command'; exact: string | null; prefix: string | null; regex: RegExp | null }
  | { kind: 'path'; pattern: PathPattern }
  | { kind: 'domain'; host: string; subdomains: boolean };

/** A parsed rule. `tool` is the key calls are looked up by (`Edit`, `Bash`, `mcp__github`, …). */
export interface CompiledRule {
  text: string;
  tool: string;
  matcher: RuleMatcher;
  /** For `Bash` rules: the program the rule is about, or null when it starts with a wildcard. */
  program: string | null;
}

/** One tool call as claude asks about it. */
export interface ToolCall {
  tool_name: string;
  input: Record<string, unknown>;
}

const TOOL_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
const MCP_SERVER_WILDCARD = /^mcp__[A-Za-z0-9_-]+__\*$/;
const PATH_RULE_TOOLS = new Set([...FILE_EDIT_TOOLS, ...FILE_READ_TOOLS]);

/** Parse one rule; a sentence naming the rule when it does not parse. Pure. */
export function parseRule(raw: string): { ok: true; rule: CompiledRule } | { ok: false; error: string } {
  const text = raw.trim();
  const bad = (why: string) => ({ ok: false as const, error: `rule ${JSON.stringify(raw.length > 200 ? raw.slice(0, 200) + '…' : raw)} does not parse: ${why}` });
  if (text === '') return bad('it is empty');
  if (text.length > MAX_RULE_LENGTH) return bad(`it is longer than ${MAX_RULE_LENGTH} characters`);
  const open = text.indexOf('(');
  const name = open < 0 ? text : text.slice(0, open);
  if (!TOOL_NAME.test(name) && !MCP_SERVER_WILDCARD.test(name)) {
    return bad(`${JSON.stringify(name)} is not a tool name (a letter, then letters, digits, "_" or "-"; e.g. Bash, Edit, mcp__server__tool)`);
  }
  if (open < 0) return compileWhole(name, text, bad);
  if (!text.endsWith(')')) return bad('it opens "(" but does not end with ")"');
  const spec = text.slice(open + 1, -1);
  if (spec.trim() === '') return bad(`"${name}()" has nothing between the parentheses; write ${name} alone to match every use`);
  if (spec === '*') return compileWhole(name, text, bad);
  if (name.startsWith('mcp__')) return bad('an MCP tool rule takes no parentheses (mcp__server, mcp__server__*, mcp__server__tool)');
  if (name === 'Bash') return compileCommand(text, spec, bad);
  if (PATH_RULE_TOOLS.has(name)) {
    const compiled = compilePathPattern(spec);
    if (!compiled.ok) return bad(compiled.error);
    return { ok: true, rule: { text, tool: name, matcher: { kind: 'path', pattern: compiled.pattern }, program: null } };
  }
  if (name === 'WebFetch') {
    const m = /^domain:(\*\.)?([A-Za-z0-9.-]+)$/.exec(spec);
    if (!m || m[2]!.startsWith('.') || m[2]!.endsWith('.')) return bad('a WebFetch rule takes domain:HOST (e.g. WebFetch(domain:example.com), or domain:*.example.com for its subdomains)');
    return { ok: true, rule: { text, tool: name, matcher: { kind: 'domain', host: m[2]!.toLowerCase(), subdomains: m[1] !== undefined }, program: null } };
  }
  return bad(
    `hyperhive reads a specifier only in Bash, Read, Edit, Write, MultiEdit, NotebookEdit, Grep, Glob, LS and WebFetch rules; write ${name} alone to match every use of it`,
  );
}

function compileWhole(name: string, text: string, bad: (why: string) => { ok: false; error: string }): ReturnType<typeof parseRule> {
  if (name.startsWith('mcp__')) {
    const pieces = name.slice(5).split('__');
    if (pieces[0] === '' || pieces.length > 2 || pieces.some((p) => p === '')) return bad('an MCP rule is mcp__server, mcp__server__* or mcp__server__tool');
    return { ok: true, rule: { text, tool: name, matcher: { kind: 'any' }, program: null } };
  }
  return { ok: true, rule: { text, tool: name, matcher: { kind: 'any' }, program: null } };
}

function compileCommand(text: string, spec: string, bad: (why: string) => { ok: false; error: string }): ReturnType<typeof parseRule> {
  const legacy = spec.endsWith(':*');
  const body = legacy ? spec.slice(0, -2) : spec;
  if (body.includes(':*')) return bad('":*" works only at the end of a Bash rule (e.g. Bash(npm test:*))');
  if (legacy) {
    if (body.trim() === '') return bad('":*" needs a command before it (e.g. Bash(npm test:*))');
    const prefix = normalizeSpaces(body);
    return { ok: true, rule: { text, tool: 'Bash', matcher: { kind: 'command', exact: null, prefix, regex: null }, program: programOf(prefix) } };
  }
  const pattern = normalizeSpaces(body);
  if (!pattern.includes('*')) {
    return { ok: true, rule: { text, tool: 'Bash', matcher: { kind: 'command', exact: pattern, prefix: null, regex: null }, program: programOf(pattern) } };
  }
  // A trailing " *" may match nothing: `ls *` is `ls` too, never `lsof`.
  const optionalTail = pattern.endsWith(' *');
  const head = optionalTail ? pattern.slice(0, -2) : pattern;
  const source = head.split('*').map(escapeRegex).join('.*') + (optionalTail ? '(?: .*)?' : '');
  return { ok: true, rule: { text, tool: 'Bash', matcher: { kind: 'command', exact: null, prefix: null, regex: new RegExp(`^${source}$`, 's') }, program: programOf(head) } };
}

function normalizeSpaces(s: string): string {
  return s.trim().replace(/[ \t]+/g, ' ');
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The program a command pattern starts with, when it is a plain word (`npm` of `npm test`), else null. */
function programOf(pattern: string): string | null {
  const word = firstWord(pattern);
  if (word === '' || word.includes('*')) return null;
  return word === pattern || pattern.startsWith(word + ' ') ? word : null;
}

/** Whether a `Bash` rule matches one simple command. */
export function commandMatches(matcher: Extract<RuleMatcher, { kind: 'command' }>, command: string): boolean {
  if (matcher.exact !== null) return command === matcher.exact;
  if (matcher.prefix !== null) return command === matcher.prefix || command.startsWith(matcher.prefix + ' ');
  return matcher.regex!.test(command);
}

/** The rule-lookup keys of a tool: its own name, `Edit`/`Read` for file tools, the server for MCP tools. */
export function ruleKeysOf(toolName: string): string[] {
  const keys = [toolName];
  if (FILE_EDIT_TOOLS.includes(toolName) && toolName !== 'Edit') keys.push('Edit');
  if (FILE_READ_TOOLS.includes(toolName) && toolName !== 'Read') keys.push('Read');
  if (toolName.startsWith('mcp__')) {
    const server = toolName.split('__')[1];
    if (server) keys.push(`mcp__${server}`, `mcp__${server}__*`);
  }
  return keys;
}

/** The file a file tool's call is about, or null when its input names none. */
export function callPath(call: ToolCall): string | null {
  const { input } = call;
  const value = call.tool_name === 'NotebookEdit' ? input.notebook_path : FILE_READ_TOOLS.includes(call.tool_name) && call.tool_name !== 'Read' ? (input.path ?? '.') : input.file_path;
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The host a WebFetch call goes to, lower case, or null. */
export function callHost(call: ToolCall): string | null {
  const url = call.input.url;
  if (typeof url !== 'string') return null;
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
}

/** A call with what rules read of it worked out once: its file, its host, its command. */
class PreparedCall {
  private file: PreparedPath | null | undefined;
  private host: string | null | undefined;

  constructor(
    readonly call: ToolCall,
    private readonly ctx: PathContext,
  ) {}

  get path(): PreparedPath | null {
    if (this.file === undefined) {
      const file = callPath(this.call);
      this.file = file === null ? null : new PreparedPath(file, this.ctx);
    }
    return this.file;
  }

  get hostname(): string | null {
    if (this.host === undefined) this.host = callHost(this.call);
    return this.host;
  }
}

function matchesPrepared(rule: CompiledRule, prepared: PreparedCall): boolean {
  const m = rule.matcher;
  switch (m.kind) {
    case 'any':
      return true;
    case 'path': {
      const file = prepared.path;
      return file !== null && preparedPathMatches(m.pattern, file);
    }
    case 'domain': {
      const host = prepared.hostname;
      if (host === null) return false;
      return m.subdomains ? host.endsWith('.' + m.host) : host === m.host;
    }
    case 'command': {
      const command = prepared.call.input.command;
      return typeof command === 'string' && commandMatches(m, normalizeSpaces(command));
    }
  }
}

/**
 * Whether a non-Bash rule matches a call (Bash goes part by part, see
 * `evaluateRules`). The rule must be one of the call's `ruleKeysOf`.
 */
export function ruleMatchesCall(rule: CompiledRule, call: ToolCall, ctx: PathContext): boolean {
  return matchesPrepared(rule, new PreparedCall(call, ctx));
}

/** A rule as a lookup sees it: what it says, and who it is. */
export interface EffectiveRule<R> {
  effect: 'allow' | 'deny';
  compiled: CompiledRule;
  ref: R;
}

/** What the rules say about a call: `deny` wins over `allow`; `ask` when neither applies. */
export type RuleVerdict<R> = { verdict: 'allow' | 'deny'; by: R[] } | { verdict: 'ask' };

/**
 * Decide a call from the rules that could apply to it (`candidates(part)`
 * gives the rules for one simple command of a Bash call, or for the whole
 * call otherwise). Pure.
 */
export function evaluateRules<R>(call: ToolCall, ctx: PathContext, candidates: (program: string | null) => Iterable<EffectiveRule<R>>): RuleVerdict<R> {
  if (call.tool_name !== 'Bash') {
    const prepared = new PreparedCall(call, ctx);
    let allowBy: R | null = null;
    for (const rule of candidates(null)) {
      if (!matchesPrepared(rule.compiled, prepared)) continue;
      if (rule.effect === 'deny') return { verdict: 'deny', by: [rule.ref] };
      allowBy ??= rule.ref;
    }
    return allowBy === null ? { verdict: 'ask' } : { verdict: 'allow', by: [allowBy] };
  }
  const command = typeof call.input.command === 'string' ? call.input.command : '';
  const split = splitShellCommand(command);
  const whole = normalizeSpaces(command);
  const parts = split.parts.length ? split.parts : [whole];
  const allowers: R[] = [];
  let everyPartAllowed = !split.opaque;
  // `Bash` (or `Bash(*)`) allows every command, even one the split cannot see into.
  let allowsEverything: R | null = null;
  const lines = parts.includes(whole) ? parts : [...parts, whole];
  for (const line of lines) {
    let allowBy: R | null = null;
    for (const rule of candidates(firstWord(line))) {
      const m = rule.compiled.matcher;
      const hit = m.kind === 'any' || (m.kind === 'command' && commandMatches(m, line));
      if (!hit) continue;
      if (rule.effect === 'deny') return { verdict: 'deny', by: [rule.ref] };
      allowBy ??= rule.ref;
      if (m.kind === 'any') allowsEverything ??= rule.ref;
    }
    // The whole line is read for deny rules only; allows must hold part by part.
    if (line === whole && !parts.includes(whole)) continue;
    if (allowBy === null) everyPartAllowed = false;
    else if (!allowers.includes(allowBy)) allowers.push(allowBy);
  }
  if (allowsEverything !== null) return { verdict: 'allow', by: [allowsEverything] };
  return everyPartAllowed && allowers.length ? { verdict: 'allow', by: allowers } : { verdict: 'ask' };
}
