/** The footer: key hints generated from the keymap for the current context, as many as fit, `? help` kept last. */
import { memo } from 'react';
import { Line, type Segment } from './Line.js';
import type { Theme } from '../theme/theme.js';
import type { Hint } from '../keys/hints.js';

const hintWidth = (h: Hint) => h.key.length + 1 + h.label.length + 2;

/** The hints that fit in `width` columns, in keymap order; the help hint is kept whatever else goes. */
export function fittedHints(hints: readonly Hint[], width: number): Hint[] {
  const help = hints.find((h) => h.label === 'help');
  let room = width - (help ? hintWidth(help) : 0);
  const kept: Hint[] = [];
  for (const h of hints) {
    if (h === help) continue;
    if (hintWidth(h) > room) break;
    kept.push(h);
    room -= hintWidth(h);
  }
  return help ? [...kept, help] : kept;
}

/** One row of `key label` hints; a disabled one (not live) is drawn muted. */
export const Footer = memo(function Footer({ hints, width, theme }: { hints: Hint[]; width: number; theme: Theme }) {
  const segments: Segment[] = [];
  for (const h of fittedHints(hints, width)) {
    segments.push(h.disabled ? { text: h.key, tone: 'muted' } : { text: h.key, tone: 'accent', bold: true }, { text: ` ${h.label}  `, tone: 'muted' });
  }
  return <Line segments={segments} theme={theme} />;
});
