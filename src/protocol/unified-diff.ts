/**
 * Reading a unified diff as git writes it (`diff --git` headers): which
 * files it touches, what happened to each and how many lines each adds and
 * removes. Pure and zod-free: the core summarises stored diffs with it, the
 * console and the ctl lay out their file lists with it.
 */

/** One file's part of a diff. */
export interface DiffFile {
  path: string;
  /** The path before a rename. */
  old_path?: string;
  status: 'added' | 'deleted' | 'modified' | 'renamed';
  added: number;
  removed: number;
  binary?: boolean;
  /** Index of its `diff --git` line among the diff's lines. */
  start: number;
  /** Index one past its last line. */
  end: number;
}

/** A path as git writes it in a header: C-quoted when it holds unusual bytes. */
function unquote(text: string): string {
  if (!text.startsWith('"') || !text.endsWith('"')) return text;
  const escapes: Record<string, string> = { n: '\n', t: '\t', '"': '"', '\\': '\\' };
  const bytes: number[] = [];
  const inner = text.slice(1, -1);
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (c !== '\\') {
      bytes.push(...Buffer.from(c));
      continue;
    }
    const next = inner[i + 1] ?? '';
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(inner.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(...Buffer.from(escapes[next] ?? next));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** `a/x` → `x`; `/dev/null` → null. */
function stripSide(text: string, side: 'a/' | 'b/'): string | null {
  const path = unquote(text.replace(/\t.*$/, ''));
  if (path === '/dev/null') return null;
  return path.startsWith(side) ? path.slice(2) : path;
}

/** The path(s) on a `diff --git a/X b/Y` line (both the same unless renamed). */
function headerPaths(rest: string): { a: string; b: string } {
  if (rest.startsWith('"')) {
    const m = /^("(?:[^"\\]|\\.)*") ("(?:[^"\\]|\\.)*"|\S.*)$/.exec(rest);
    if (m) return { a: stripSide(m[1]!, 'a/') ?? '', b: stripSide(m[2]!, 'b/') ?? '' };
  }
  // Same path on both sides (the usual case): `a/P b/P`, whatever spaces P holds.
  const half = (rest.length - 1) / 2;
  if (Number.isInteger(half) && rest.slice(0, half).startsWith('a/') && rest.slice(half + 1).startsWith('b/') && rest.slice(2, half) === rest.slice(half + 3)) {
    const p = rest.slice(2, half);
    return { a: p, b: p };
  }
  const cut = rest.indexOf(' b/');
  return cut < 0 ? { a: rest, b: rest } : { a: stripSide(rest.slice(0, cut), 'a/') ?? '', b: stripSide(rest.slice(cut + 1), 'b/') ?? '' };
}

/** The files of `diff`, in order, with their line ranges and counts. */
export function diffFiles(diff: string): DiffFile[] {
  const lines = diff.split('\n');
  const files: DiffFile[] = [];
  let current: DiffFile | null = null;
  let inHunk = false;
  const close = (end: number) => {
    if (current) current.end = end;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('diff --git ')) {
      close(i);
      const { a, b } = headerPaths(line.slice('diff --git '.length));
      current = { path: b || a, status: 'modified', added: 0, removed: 0, start: i, end: lines.length };
      if (a && b && a !== b) current.old_path = a;
      files.push(current);
      inHunk = false;
      continue;
    }
    if (!current) continue;
    if (inHunk) {
      if (line.startsWith('+')) current.added++;
      else if (line.startsWith('-')) current.removed++;
      if (/^[-+ \\]|^@@|^$/.test(line)) continue;
      inHunk = false;
    }
    if (line.startsWith('@@')) inHunk = true;
    else if (line.startsWith('new file mode')) current.status = 'added';
    else if (line.startsWith('deleted file mode')) current.status = 'deleted';
    else if (line.startsWith('rename from ')) {
      current.status = 'renamed';
      current.old_path = unquote(line.slice('rename from '.length));
    } else if (line.startsWith('rename to ')) {
      current.status = 'renamed';
      current.path = unquote(line.slice('rename to '.length));
    } else if (line.startsWith('Binary files ') || line === 'GIT binary patch') current.binary = true;
    else if (line.startsWith('--- ')) {
      const from = stripSide(line.slice(4), 'a/');
      if (from === null) current.status = 'added';
    } else if (line.startsWith('+++ ')) {
      const to = stripSide(line.slice(4), 'b/');
      if (to === null) current.status = 'deleted';
      else if (current.status !== 'renamed') current.path = to;
    }
  }
  // A diff ending in a newline leaves an empty last "line" that belongs to no file's body.
  close(lines.length > 0 && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length);
  return files;
}
