/** The footer: key hints generated from the keymap for the current context. */
import { memo } from 'react';
import { Line, type Segment } from './Line.js';
import type { Theme } from '../theme/theme.js';
import type { Hint } from '../keys/hints.js';

/** One row of `key label` hints; a disabled one (not live) is drawn muted. */
export const Footer = memo(function Footer({ hints, theme }: { hints: Hint[]; theme: Theme }) {
  const segments: Segment[] = [];
  for (const h of hints) {
    segments.push(h.disabled ? { text: h.key, tone: 'muted' } : { text: h.key, tone: 'accent', bold: true }, { text: ` ${h.label}  `, tone: 'muted' });
  }
  return <Line segments={segments} theme={theme} />;
});
