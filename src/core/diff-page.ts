/**
 * A stored diff as one response carries it: the files it touches (with line
 * counts) and a page of its lines small enough that the response line stays
 * well under the 1 MiB line cap, however large the diff or however its text
 * escapes in JSON. Pure.
 */
import { diffFiles, type DiffFileStat } from '../protocol/index.js';

/** Most JSON bytes of diff text one response carries. */
export const DIFF_PAGE_BYTES = 512 * 1024;
/** Most files a response lists. */
export const MAX_LISTED_FILES = 1000;

export interface DiffPage {
  diff: string;
  diff_total_bytes: number;
  diff_total_lines: number;
  diff_from: number;
  /** The line the next page starts at; absent when this page reaches the end. */
  diff_next?: number;
  files: (DiffFileStat & { line: number })[];
  /** How many files the diff touches, when more than are listed. */
  files_total?: number;
}

/** Lines `from` onwards of `diff` (at most `maxLines`), within `budget` JSON bytes; a line too long alone is cut with a marker. */
export function diffPage(diff: string, from = 0, maxLines = Infinity, budget = DIFF_PAGE_BYTES): DiffPage {
  const lines = diff.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const out: string[] = [];
  let used = 0;
  let i = Math.min(from, lines.length);
  for (; i < lines.length && out.length < maxLines; i++) {
    let line = lines[i]!;
    let cost = Buffer.byteLength(JSON.stringify(line)) + 1;
    if (cost > budget) {
      // One line larger than a page: cut to what surely fits (6 JSON bytes per character at worst).
      line = `${line.slice(0, Math.floor((budget - 200) / 6))} … [line cut: ${Buffer.byteLength(lines[i]!)} bytes]`;
      cost = Buffer.byteLength(JSON.stringify(line)) + 1;
    }
    if (used + cost > budget && out.length > 0) break;
    out.push(line);
    used += cost;
  }
  const files = diffFiles(diff).map(({ start, end: _end, ...stat }) => ({ ...stat, line: start }));
  const page: DiffPage = {
    diff: out.length ? out.join('\n') + '\n' : '',
    diff_total_bytes: Buffer.byteLength(diff),
    diff_total_lines: lines.length,
    diff_from: Math.min(from, lines.length),
    files: files.slice(0, MAX_LISTED_FILES),
  };
  if (i < lines.length) page.diff_next = i;
  if (files.length > MAX_LISTED_FILES) page.files_total = files.length;
  return page;
}
