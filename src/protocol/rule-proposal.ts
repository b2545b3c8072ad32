/**
 * A permission rule generalised from one tool call, proposed to the operator
 * who allows or denies it (`A`/`D` in the console): `npm test -- --watch=false`
 * becomes `Bash(npm test:*)`, an edit of `src/a/b.ts` `Edit(src/**)`, a fetch
 * of `https://docs.example.com/x` `WebFetch(domain:docs.example.com)`.
 */
import path from 'node:path';
import { FILE_EDIT_TOOLS, FILE_READ_TOOLS, callHost, callPath, type ToolCall } from './permission-rules.js';
import { splitShellCommand } from './shell-command.js';

/** Programs whose second word names what they do (`git status`, `npm test`), and those whose third does too (`npm run build`). */
const TWO_WORD_PROGRAMS = new Set([
  'git', 'npm', 'pnpm', 'yarn', 'bun', 'npx', 'cargo', 'go', 'docker', 'kubectl', 'make', 'pip', 'pip3', 'uv', 'poetry', 'dotnet', 'gh', 'nix', 'systemctl', 'terraform', 'mvn', 'gradle', 'brew', 'apt', 'helm',
]);
const RUN_WORDS = new Set(['run', 'exec', 'run-script', 'x', 'dlx']);

/** A rule covering `call` and calls like it, in Claude Code's syntax. Pure. */
export function proposeRule(call: ToolCall, workDir: string): string {
  const tool = call.tool_name;
  if (tool === 'Bash') return `Bash(${commandPrefix(typeof call.input.command === 'string' ? call.input.command : '')}:*)`;
  if (FILE_EDIT_TOOLS.includes(tool) || FILE_READ_TOOLS.includes(tool)) {
    const file = callPath(call);
    const family = FILE_EDIT_TOOLS.includes(tool) ? 'Edit' : 'Read';
    return file === null ? family : `${family}(${directoryPattern(file, workDir)})`;
  }
  if (tool === 'WebFetch') {
    const host = callHost(call);
    return host ? `WebFetch(domain:${host})` : 'WebFetch';
  }
  return tool;
}

/** `npm test -- --watch=false` → `npm test`; `ls -la` → `ls`; of a compound command, its first part. */
function commandPrefix(command: string): string {
  const first = splitShellCommand(command).parts[0] ?? command.trim();
  const words = first.split(' ').filter((w) => w !== '');
  // Leading VAR=value assignments are part of the command line, not the program.
  while (words.length > 1 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!)) words.shift();
  const program = words[0] ?? '';
  const plainWord = (w: string | undefined) => w !== undefined && /^[A-Za-z0-9][A-Za-z0-9:._-]*$/.test(w);
  if (!TWO_WORD_PROGRAMS.has(path.posix.basename(program)) || !plainWord(words[1])) return program;
  if (RUN_WORDS.has(words[1]!) && plainWord(words[2])) return words.slice(0, 3).join(' ');
  return words.slice(0, 2).join(' ');
}

/** The top directory under the work dir that holds `file`, as a pattern (`src/**`), or the file itself when it lies at the top. */
function directoryPattern(file: string, workDir: string): string {
  const absolute = path.posix.resolve(workDir, file);
  const rel = path.posix.relative(workDir, absolute);
  if (rel === '' || rel.startsWith('..') || path.posix.isAbsolute(rel)) {
    return `/${path.posix.dirname(absolute)}/**`.replace(/^\/\/+/, '//');
  }
  const slash = rel.indexOf('/');
  return slash < 0 ? `/${rel}` : `${rel.slice(0, slash)}/**`;
}
