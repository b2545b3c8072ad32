/** A pick list over the view (the models an agent may be set to): the current choice marked, numbered for 1–9. */
import { memo } from 'react';
import { Box } from 'ink';
import { Line, type Segment } from '../components/Line.js';
import type { Theme } from '../theme/theme.js';
import type { Modal } from '../ui/ui-state.js';
import { keyOf } from '../keys/hints.js';

/** The pick list. */
export const PickList = memo(function PickList({ modal, patterns, height, theme }: { modal: Extract<Modal, { kind: 'pick' }>; patterns: readonly string[]; height: number; theme: Theme }) {
  const rows: Segment[][] = [[{ text: modal.title, bold: true, tone: 'accent' }], [{ text: ' ' }]];
  modal.options.forEach((o, i) => {
    const here = !modal.typing && i === modal.cursor;
    rows.push([{ text: `${here ? '›' : ' '} ${i + 1}. ${here ? '(•)' : '( )'} `, bold: here }, { text: o, bold: here }, { text: o === modal.current ? '  (current)' : '', tone: 'muted' }]);
  });
  const typed = patterns.filter((p) => p.endsWith('*')).map((p) => `${p.slice(0, -1)}…`);
  if (typed.length) rows.push([{ text: ' ' }], [{ text: `${keyOf('answer_free_text')} types a name: ${typed.join(', ')}`, tone: 'muted' }]);
  if (modal.typing) rows.push([{ text: 'name: ', tone: 'accent', bold: true }, { text: `[${modal.text}▏]` }]);
  return (
    <Box flexDirection="column" height={height}>
      {rows.slice(0, height).map((segs, i) => (
        <Line key={i} theme={theme} segments={segs} />
      ))}
    </Box>
  );
});
