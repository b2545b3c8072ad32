/** Help for the current view, generated from the keymap. */
import { memo } from 'react';
import { Box } from 'ink';
import { Line } from '../components/Line.js';
import type { Theme } from '../theme/theme.js';
import { helpRows } from '../keys/hints.js';
import type { KeyContext } from '../keys/keymap.js';
import { fit } from '../format.js';

/** The help view. */
export const HelpView = memo(function HelpView({ context, scroll, height, theme }: { context: Pick<KeyContext, 'view' | 'readOnly' | 'live' | 'decisionsOnly'>; scroll: number; height: number; theme: Theme }) {
  const lines: { text: string; section: boolean }[] = [];
  for (const section of helpRows(context)) {
    lines.push({ text: section.section, section: true });
    for (const r of section.rows) lines.push({ text: `  ${fit(r.key, 10)} ${r.help}`, section: false });
  }
  if (context.readOnly) lines.push({ text: 'read-only: actions that change the hive are hidden', section: true });
  else if (context.decisionsOnly) lines.push({ text: 'over HTTP: approve, deny, answer and cancel are offered; the rest needs the host socket', section: true });
  const start = Math.max(0, Math.min(scroll, lines.length - height));
  return (
    <Box flexDirection="column" height={height}>
      {lines.slice(start, start + height).map((l, i) => (
        <Line key={i} theme={theme} segments={[{ text: l.text, bold: l.section, tone: l.section ? 'accent' : undefined }]} />
      ))}
    </Box>
  );
});
