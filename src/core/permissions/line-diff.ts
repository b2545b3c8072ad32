/**
 * A unified diff of two texts, line by line (Myers' algorithm), with three
 * lines of context, as `git diff` prints it. Bounded: texts past the limits
 * become one hunk replacing everything.
 */

/** Most lines of both texts together that are diffed line by line. */
const MAX_DIFF_LINES = 20_000;
/** Most edit steps searched before settling for one hunk. */
const MAX_EDIT_DISTANCE = 2_000;
const CONTEXT = 3;

type Op = { kind: ' ' | '-' | '+'; line: string };

/** `--- a/<name>` / `+++ b/<name>` and the hunks turning `before` into `after`; '' when they are equal. Pure. */
export function unifiedDiff(before: string, after: string, name: string, options: { created?: boolean } = {}): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = a.length + b.length <= MAX_DIFF_LINES ? (myers(a, b) ?? replaceAll(a, b)) : replaceAll(a, b);
  const header = `--- ${options.created ? '/dev/null' : `a/${name}`}\n+++ b/${name}\n`;
  return header + hunks(ops).join('');
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function replaceAll(a: string[], b: string[]): Op[] {
  return [...a.map((line) => ({ kind: '-' as const, line })), ...b.map((line) => ({ kind: '+' as const, line }))];
}

/** The shortest edit script, or null when it is longer than MAX_EDIT_DISTANCE. */
function myers(a: string[], b: string[]): Op[] | null {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b, d, offset);
    }
    v = next;
  }
  return null;
}

function backtrack(trace: Int32Array[], a: string[], b: string[], dEnd: number, offset: number): Op[] {
  const ops: Op[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = dEnd; d > 0; d--) {
    const v = trace[d]!;
    const k = x - y;
    const down = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!);
    const prevK = down ? k + 1 : k - 1;
    const prevX = v[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) ops.push({ kind: ' ', line: a[--x]! }), y--;
    if (down) ops.push({ kind: '+', line: b[--y]! });
    else ops.push({ kind: '-', line: a[--x]! });
  }
  while (x > 0 && y > 0) ops.push({ kind: ' ', line: a[--x]! }), y--;
  return ops.reverse();
}

/** Group an edit script into hunks with CONTEXT lines around each change. */
function hunks(ops: Op[]): string[] {
  const out: string[] = [];
  const contextRun = (from: number) => {
    let to = from;
    while (to < ops.length && ops[to]!.kind === ' ') to++;
    return to;
  };
  let i = 0;
  let aLine = 1;
  let bLine = 1;
  while (i < ops.length) {
    const start = contextRun(i);
    if (start === ops.length) break;
    const lead = Math.min(CONTEXT, start - i);
    aLine += start - lead - i;
    bLine += start - lead - i;
    let end = start;
    let after: number;
    // A hunk runs on while the unchanged stretch between two changes is short enough to show whole.
    for (;;) {
      while (end < ops.length && ops[end]!.kind !== ' ') end++;
      after = contextRun(end);
      if (after < ops.length && after - end <= 2 * CONTEXT) end = after;
      else break;
    }
    const body = ops.slice(start - lead, end + Math.min(CONTEXT, after - end));
    const aCount = body.filter((o) => o.kind !== '+').length;
    const bCount = body.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${aCount ? aLine : aLine - 1},${aCount} +${bCount ? bLine : bLine - 1},${bCount} @@\n`);
    for (const op of body) out.push(`${op.kind}${op.line}\n`);
    aLine += aCount;
    bLine += bCount;
    i = start - lead + body.length;
  }
  return out;
}
