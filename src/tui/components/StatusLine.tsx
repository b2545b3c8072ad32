/** The row above the footer: a confirm prompt, a text input, or the last message (the footer says which keys apply). */
import { memo } from 'react';
import { Line } from './Line.js';
import type { Modal } from '../ui/ui-state.js';
import type { Theme } from '../theme/theme.js';
import { RULE_EXPIRIES } from '../ui/rule-form.js';

export interface StatusLineProps {
  modal?: Modal;
  flash?: { text: string; tone: 'info' | 'error' };
  disabledReason?: string;
  theme: Theme;
}

/** Inputs show a bracketed field and a cursor so they read as inputs. */
export const StatusLine = memo(function StatusLine({ modal, flash, disabledReason, theme }: StatusLineProps) {
  if (modal?.kind === 'confirm') {
    return <Line theme={theme} segments={[{ text: `${modal.prompt} `, tone: 'warn', bold: true }, { text: '[y/N]', bold: true }]} />;
  }
  if (modal?.kind === 'input') {
    return <Line theme={theme} segments={[{ text: `${modal.label} `, tone: 'accent', bold: true }, { text: `[${modal.value}▏]` }]} />;
  }
  if (modal?.kind === 'rule') {
    const expiry = RULE_EXPIRIES[modal.expiry]?.label ?? '';
    return (
      <Line
        theme={theme}
        segments={[
          { text: `${modal.effect} #${modal.approvalId} + rule `, tone: modal.effect === 'allow' ? 'ok' : 'error', bold: true },
          { text: `[${modal.text}▏]` },
          { text: ` for ${modal.scope === 'agent' ? modal.agent : 'the whole hive'}, ${expiry}`, tone: 'accent' },
        ]}
      />
    );
  }
  if (flash) return <Line theme={theme} segments={[{ text: flash.text, tone: flash.tone === 'error' ? 'error' : 'ok' }]} />;
  if (disabledReason) return <Line theme={theme} segments={[{ text: `actions disabled: ${disabledReason}`, tone: 'warn' }]} />;
  return <Line theme={theme} segments={[{ text: ' ' }]} />;
});
