/** The row above the footer: a confirm prompt, a text input, or the last message (the footer says which keys apply). */
import { memo } from 'react';
import { Box } from 'ink';
import { Line } from './Line.js';
import { wrapWords } from '../format.js';
import type { Modal } from '../ui/ui-state.js';
import type { Theme } from '../theme/theme.js';

export interface StatusLineProps {
  modal?: Modal;
  flash?: { text: string; tone: 'info' | 'error' };
  disabledReason?: string;
  /** Rows a message may take (wrapped, so a long sentence is never cut). */
  rows: number;
  width: number;
  theme: Theme;
}

/** Inputs show a bracketed field and a cursor so they read as inputs; the `:` line shows what Tab could complete to. */
export const StatusLine = memo(function StatusLine({ modal, flash, disabledReason, rows, width, theme }: StatusLineProps) {
  if (modal?.kind === 'confirm') {
    return <Line theme={theme} segments={[{ text: `${modal.prompt} `, tone: 'warn', bold: true }, { text: '[y/N]', bold: true }]} />;
  }
  if (modal?.kind === 'input') {
    const hint = modal.purpose === 'command' && modal.hint ? `  ${modal.hint}` : '';
    return <Line theme={theme} segments={[{ text: `${modal.label} `, tone: 'accent', bold: true }, { text: `[${modal.value}▏]` }, { text: hint, tone: 'muted' }]} />;
  }
  if (flash) {
    const tone = flash.tone === 'error' ? 'error' : 'ok';
    return (
      <Box flexDirection="column">
        {wrapWords(flash.text, width - 1).slice(0, rows).map((row, i) => (
          <Line key={i} theme={theme} segments={[{ text: row, tone }]} />
        ))}
      </Box>
    );
  }
  if (disabledReason) return <Line theme={theme} segments={[{ text: `actions disabled: ${disabledReason}`, tone: 'warn' }]} />;
  return <Line theme={theme} segments={[{ text: ' ' }]} />;
});
