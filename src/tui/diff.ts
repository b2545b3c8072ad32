/** Unified-diff lines classified for colouring (pure). */

/** How a diff line is drawn. */
export type DiffLineKind = 'file' | 'hunk' | 'add' | 'del' | 'context' | 'meta';

/** One classified diff line. */
export interface DiffLine {
  kind: DiffLineKind;
  text: string;
}

/** Split sanitized diff text into classified lines. */
export function parseDiff(diff: string): DiffLine[] {
  const lines = diff.replace(/\t/g, '    ').split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines.map((text) => {
    if (text.startsWith('+++') || text.startsWith('---') || text.startsWith('diff --git')) return { kind: 'file', text };
    if (text.startsWith('@@')) return { kind: 'hunk', text };
    if (text.startsWith('+')) return { kind: 'add', text };
    if (text.startsWith('-')) return { kind: 'del', text };
    if (text.startsWith(' ') || text === '') return { kind: 'context', text };
    return { kind: 'meta', text };
  });
}

const SGR: Partial<Record<DiffLineKind, string>> = { file: '1', hunk: '36', add: '32', del: '31', meta: '2' };

/** The diff with SGR colours per line (for a pager that shows them, `less -R`); sanitized text in, same lines out. */
export function colourDiff(diff: string): string {
  return parseDiff(diff)
    .map((line) => (SGR[line.kind] && line.text ? `\u001b[${SGR[line.kind]}m${line.text}\u001b[0m` : line.text))
    .join('\n') + '\n';
}
