/** Help for the current view, generated from the keymap: wrapped to the width, scrolled with j/k, "more" marked above and below. */
import { memo } from 'react';
import { Box } from 'ink';
import { Line } from '../components/Line.js';
import type { Theme } from '../theme/theme.js';
import { helpRows, keyOf } from '../keys/hints.js';
import type { KeyContext } from '../keys/keymap.js';
import { fit, wrapWords } from '../format.js';

/** The help text as rows for `width` columns: section titles, then each key beside its wrapped description. */
export function helpLines(context: Pick<KeyContext, 'view' | 'readOnly' | 'live' | 'decisionsOnly'>, width: number): { text: string; section: boolean }[] {
  const sections = helpRows(context);
  const keyWidth = Math.min(22, Math.max(...sections.flatMap((s) => s.rows.map((r) => r.key.length)), 4));
  const lines: { text: string; section: boolean }[] = [];
  for (const section of sections) {
    lines.push({ text: section.section, section: true });
    for (const r of section.rows) {
      const key = r.key.length > keyWidth ? [r.key, ''] : [fit(r.key, keyWidth)];
      const help = wrapWords(r.help, width - keyWidth - 4);
      if (key.length === 2) lines.push({ text: `  ${key[0]}`, section: false });
      help.forEach((h, i) => lines.push({ text: `  ${i === 0 ? fit(key.at(-1)!, keyWidth) : ' '.repeat(keyWidth)} ${h}`, section: false }));
    }
  }
  if (context.readOnly) lines.push({ text: 'read-only: actions that change the hive are hidden', section: true });
  else if (context.decisionsOnly) lines.push({ text: 'over HTTP: approve, deny, answer and cancel are offered; the rest needs the host socket', section: true });
  return lines;
}

const SCROLL_KEYS = `${keyOf('down')}/${keyOf('up')}`;

/** The help view. */
export const HelpView = memo(function HelpView({ context, scroll, height, width, theme }: { context: Pick<KeyContext, 'view' | 'readOnly' | 'live' | 'decisionsOnly'>; scroll: number; height: number; width: number; theme: Theme }) {
  const lines = helpLines(context, width);
  // A marker row says what lies above or below; scrolled to the end, the last line is on the last row.
  const start = lines.length <= height ? 0 : Math.max(0, Math.min(scroll, lines.length - (height - 1)));
  const above = start > 0;
  const rows = Math.max(1, height - (above ? 1 : 0));
  const below = lines.length - start > rows;
  const shown = lines.slice(start, start + rows - (below ? 1 : 0));
  return (
    <Box flexDirection="column" height={height}>
      {above ? <Line theme={theme} segments={[{ text: `↑ ${start} more above (${keyOf('up')})`, tone: 'warn' }]} /> : null}
      {shown.map((l, i) => (
        <Line key={i} theme={theme} segments={[{ text: l.text, bold: l.section, tone: l.section ? 'accent' : undefined }]} />
      ))}
      {below ? <Line theme={theme} segments={[{ text: `↓ ${lines.length - start - shown.length} more below (${SCROLL_KEYS}, PgDn)`, tone: 'warn' }]} /> : null}
    </Box>
  );
});
