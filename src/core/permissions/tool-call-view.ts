/**
 * What the operator is shown of a tool call before deciding: a one-line
 * summary (the command, the file, the URL) and, for calls that change a
 * file, a unified diff of the change against the file in the agent's work
 * dir (a new file is all added). Files are read only inside the work dir,
 * never through a link out of it, and only when small.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FILE_EDIT_TOOLS, FILE_READ_TOOLS, callPath, type ToolCall } from '../../protocol/index.js';
import { unifiedDiff } from './line-diff.js';

/** Longest summary kept on the approval. */
export const MAX_SUMMARY_LENGTH = 300;
/** Largest file read to show a diff against. */
const MAX_PREVIEW_FILE_BYTES = 1024 * 1024;

/** The one line the queue shows for a call. Pure. */
export function toolCallSummary(call: ToolCall, workDir: string): string {
  const { tool_name: tool, input } = call;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  let text: string;
  if (tool === 'Bash') text = str(input.command);
  else if (FILE_EDIT_TOOLS.includes(tool) || tool === 'Read') text = displayPath(callPath(call) ?? '', workDir);
  else if (tool === 'WebFetch') text = str(input.url);
  else if (tool === 'WebSearch') text = str(input.query);
  else if (tool === 'Grep' || tool === 'Glob') text = `${str(input.pattern)}${typeof input.path === 'string' ? ` in ${displayPath(input.path, workDir)}` : ''}`;
  else if (FILE_READ_TOOLS.includes(tool)) text = displayPath(callPath(call) ?? '.', workDir);
  else if (typeof input.description === 'string') text = input.description;
  else text = JSON.stringify(input);
  const oneLine = text.replace(/\s*\n\s*/g, ' ⏎ ').trim();
  return oneLine.length > MAX_SUMMARY_LENGTH ? oneLine.slice(0, MAX_SUMMARY_LENGTH - 1) + '…' : oneLine;
}

/** A path as the operator reads it: relative to the work dir when it lies inside. */
function displayPath(file: string, workDir: string): string {
  if (file === '') return '';
  const absolute = path.resolve(workDir, file);
  const rel = path.relative(workDir, absolute);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : absolute;
}

/**
 * The diff a file-changing call would make, or null for other calls. When
 * the current file cannot be read (outside the work dir, too large, not
 * text), the diff is of the change alone, with a line saying why. `workDir`
 * is the work dir as claude sees it; `hostWorkDir` where the core reads it
 * (they differ when the agent runs in a container).
 */
export function toolCallDiff(call: ToolCall, workDir: string, hostWorkDir: string = workDir): string | null {
  const tool = call.tool_name;
  if (tool !== 'Edit' && tool !== 'MultiEdit' && tool !== 'Write') return null;
  const file = callPath(call);
  if (file === null) return null;
  const name = displayPath(file, workDir);
  const current = readInWorkDir(file, workDir, hostWorkDir);
  const input = call.input;
  if (tool === 'Write') {
    const content = typeof input.content === 'string' ? input.content : '';
    if (current.kind === 'missing') return unifiedDiff('', content, name, { created: true });
    if (current.kind === 'text') return unifiedDiff(current.text, content, name) || `(no change: ${name} already holds exactly this)\n`;
    return `(${current.why}; showing the new content alone)\n` + unifiedDiff('', content, name, { created: true });
  }
  const edits = tool === 'Edit' ? [input] : Array.isArray(input.edits) ? (input.edits as Record<string, unknown>[]) : [];
  if (current.kind !== 'text') {
    const why = current.kind === 'missing' ? `${name} does not exist yet` : current.why;
    return `(${why}; showing each replacement alone)\n` + edits.map((e) => unifiedDiff(str(e.old_string), str(e.new_string), name)).join('');
  }
  let text = current.text;
  for (const [i, edit] of edits.entries()) {
    const oldString = str(edit.old_string);
    const newString = str(edit.new_string);
    if (oldString === '' || !text.includes(oldString)) {
      const which = edits.length > 1 ? `edit ${i + 1}: ` : '';
      return `(${which}the text to replace is not in ${name}; claude's edit will fail as written)\n` + unifiedDiff(oldString, newString, name);
    }
    text = edit.replace_all === true ? text.split(oldString).join(newString) : text.replace(oldString, () => newString);
  }
  return unifiedDiff(current.text, text, name);
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

type Current = { kind: 'text'; text: string } | { kind: 'missing' } | { kind: 'unreadable'; why: string };

/** The file's text, when it is a small text file inside the work dir (links resolved, and still inside). */
function readInWorkDir(file: string, workDir: string, hostWorkDir: string): Current {
  const absolute = path.resolve(workDir, file);
  const outside: Current = { kind: 'unreadable', why: `${absolute} is outside the agent's work dir, so its content is not read` };
  if (!inside(absolute, workDir)) return outside;
  let realWork: string;
  let real: string;
  try {
    realWork = fs.realpathSync(hostWorkDir);
    real = fs.realpathSync(path.join(hostWorkDir, path.relative(workDir, absolute)));
  } catch (err) {
    // Not there yet (nor, perhaps, the work dir): a new file.
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? { kind: 'missing' } : { kind: 'unreadable', why: `${absolute} cannot be read` };
  }
  if (!inside(real, realWork)) return outside;
  try {
    const stat = fs.statSync(real);
    if (!stat.isFile()) return { kind: 'unreadable', why: `${absolute} is not a regular file` };
    if (stat.size > MAX_PREVIEW_FILE_BYTES) return { kind: 'unreadable', why: `${absolute} is larger than 1 MiB, so its content is not read` };
    const bytes = fs.readFileSync(real);
    if (bytes.includes(0)) return { kind: 'unreadable', why: `${absolute} is not a text file` };
    return { kind: 'text', text: bytes.toString('utf8') };
  } catch {
    return { kind: 'unreadable', why: `${absolute} cannot be read` };
  }
}

function inside(candidate: string, dir: string): boolean {
  const rel = path.relative(dir, candidate);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
