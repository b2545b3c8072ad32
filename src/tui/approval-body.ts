/**
 * What the approval view shows below its header, by approval kind (pure):
 * a config change is its diff, file by file, a page of which is loaded at a
 * time; a spawn is the files the new agent starts with, as they will read.
 * Rows are numbered across the whole body, so scrolling and `[`/`]` work the
 * same whatever is loaded.
 */
import type { Approval, DiffFileStat } from '../protocol/index.js';
import { diffFiles } from '../protocol/light.js';
import { parseDiff, type DiffLineKind } from './diff.js';
import type { Segment } from './components/Line.js';

/** How one body row is drawn. */
export type BodyRowKind = DiffLineKind | 'title';

/** The tone each kind of body row is drawn in. */
export const BODY_ROW_TONE: Record<BodyRowKind, Segment['tone']> = { file: 'accent', hunk: 'hunk', add: 'add', del: 'del', context: undefined, meta: 'muted', title: 'accent' };

export interface BodyRow {
  kind: BodyRowKind;
  text: string;
}

/** A file of the body, with the row it starts at. */
export interface BodyFile {
  path: string;
  old_path?: string;
  status: DiffFileStat['status'];
  added: number;
  removed: number;
  binary?: boolean;
  row: number;
}

/** The fields of a file entry the body keeps. */
function bodyFile(f: { path: string; old_path?: string; status: DiffFileStat['status']; added: number; removed: number; binary?: boolean }, row: number): BodyFile {
  const file: BodyFile = { path: f.path, status: f.status, added: f.added, removed: f.removed, row };
  if (f.old_path !== undefined) file.old_path = f.old_path;
  if (f.binary) file.binary = true;
  return file;
}

/** The body of one approval. */
export interface ApprovalBody {
  /** Rows in the whole body (loaded or not). */
  total: number;
  /** The loaded rows are `from` … `from + rows.length - 1`. */
  from: number;
  rows: BodyRow[];
  files: BodyFile[];
  /** How many files there are, when more than `files` lists. */
  filesTotal?: number;
  /** What the rows are, in a word ("diff", "starts with"). */
  caption: string;
}

/** A config change (and any kind without its own body): the unified diff, a page at a time. */
function diffBody(a: Approval): ApprovalBody {
  const rows = a.diff ? parseDiff(a.diff) : [];
  const from = a.diff_from ?? 0;
  const files: BodyFile[] = a.files ? a.files.map((f) => bodyFile(f, f.line ?? 0)) : diffFiles(a.diff ?? '').map((f) => bodyFile(f, from + f.start));
  const body: ApprovalBody = { total: a.diff_total_lines ?? from + rows.length, from, rows, files, caption: 'diff' };
  if (a.files_total !== undefined) body.filesTotal = a.files_total;
  return body;
}

/** A spawn: each file the agent starts with under its name, as it reads (its preview diff only creates files; any other diff is shown as it is). */
function createdFilesBody(a: Approval): ApprovalBody {
  const rows: BodyRow[] = [];
  const files: BodyFile[] = [];
  const stats = diffFiles(a.diff ?? '');
  if (stats.length === 0 || stats.some((f) => f.status !== 'added')) return diffBody(a);
  const lines = (a.diff ?? '').split('\n');
  for (const file of stats) {
    if (rows.length > 0) rows.push({ kind: 'context', text: '' });
    files.push(bodyFile(file, rows.length));
    rows.push({ kind: 'title', text: `${file.path}${file.status === 'added' ? '' : ` (${file.status})`}` });
    let inHunk = false;
    for (const line of lines.slice(file.start, file.end)) {
      if (line.startsWith('@@')) inHunk = true;
      else if (inHunk && line.startsWith('+')) rows.push({ kind: 'context', text: line.slice(1).replace(/\t/g, '    ') });
      else if (inHunk && line.startsWith('\\')) rows.push({ kind: 'meta', text: '(no newline at the end)' });
    }
  }
  return { total: rows.length, from: 0, rows, files, caption: a.revival ? 'comes back with' : 'starts with' };
}

/** Bodies by approval kind; a kind not named here shows its diff. */
const BODIES: Record<string, (a: Approval) => ApprovalBody> = {
  spawn: createdFilesBody,
};

/** The body of `a`. */
export function approvalBody(a: Approval): ApprovalBody {
  return (BODIES[a.kind] ?? diffBody)(a);
}

/** The row `row` of the body, or undefined while it is not loaded. */
export function bodyRow(body: ApprovalBody, row: number): BodyRow | undefined {
  return row >= body.from ? body.rows[row - body.from] : undefined;
}

/** The index of the file row `row` belongs to (-1 before the first file). */
export function fileAt(files: readonly { row: number }[], row: number): number {
  let at = -1;
  for (let i = 0; i < files.length && files[i]!.row <= row; i++) at = i;
  return at;
}

/** The row the next file starts at after `row`, or undefined at the last one. */
export function nextFileRow(files: readonly { row: number }[], row: number): number | undefined {
  return files.find((f) => f.row > row)?.row;
}

/** The row the file before the one at `row` starts at (or this file's start, when `row` is inside it). */
export function previousFileRow(files: readonly { row: number }[], row: number): number | undefined {
  for (let i = files.length - 1; i >= 0; i--) if (files[i]!.row < row) return files[i]!.row;
  return undefined;
}
