/** The footer: key hints generated from the keymap. */
import { memo } from 'react';
import { Line, type Segment } from './Line.js';
import type { Theme } from '../theme/theme.js';

/** One row of `key label` hints. */
export const Footer = memo(function Footer({ hints, theme }: { hints: { key: string; label: string }[]; theme: Theme }) {
  const segments: Segment[] = [];
  for (const h of hints) {
    segments.push({ text: h.key, tone: 'accent', bold: true }, { text: ` ${h.label}  `, tone: 'muted' });
  }
  return <Line segments={segments} theme={theme} />;
});
