/** The row above the footer: a confirm prompt, a text input, or the last message (the footer says which keys apply). */
import { memo } from 'react';
import { Box } from 'ink';
import { Line } from './Line.js';
import { wrapWords } from '../format.js';
import type { Modal } from '../ui/ui-state.js';
import type { Theme } from '../theme/theme.js';
import type { LoginSession } from '../../protocol/index.js';

/** Rows the status line takes while a login's code is typed: its state, the address (up to two rows), the input. */
export const LOGIN_STATUS_ROWS = 4;

/** What a login through the core shows above its input. */
function loginRows(login: LoginSession | null, width: number): { text: string; tone: 'muted' | 'warn' | 'accent' | 'error' | 'ok' }[] {
  if (!login) return [{ text: 'starting claude\'s login…', tone: 'muted' }];
  const said = login.message ? ` — ${login.message}` : '';
  const state = { text: `claude login of ${login.agent}: ${login.state.replace(/_/g, ' ')}${said}`, tone: login.state === 'failed' ? 'error' as const : login.state === 'succeeded' ? 'ok' as const : 'warn' as const };
  const url = login.url ? wrapWords(login.url, width - 1).slice(0, 2).map((text) => ({ text, tone: 'accent' as const })) : [{ text: login.output.at(-1) ?? '', tone: 'muted' as const }];
  return [state, ...url].slice(0, LOGIN_STATUS_ROWS - 1);
}
import { RULE_EXPIRIES } from '../ui/rule-form.js';

export interface StatusLineProps {
  modal?: Modal;
  /** The login whose code the input takes (null until its first event). */
  login?: LoginSession | null;
  flash?: { text: string; tone: 'info' | 'error' };
  disabledReason?: string;
  /** Rows a message may take (wrapped, so a long sentence is never cut). */
  rows: number;
  width: number;
  theme: Theme;
}

/** Inputs show a bracketed field and a cursor so they read as inputs; the `:` line shows what Tab could complete to. */
export const StatusLine = memo(function StatusLine({ modal, login, flash, disabledReason, rows, width, theme }: StatusLineProps) {
  if (modal?.kind === 'confirm') {
    return <Line theme={theme} segments={[{ text: `${modal.prompt} `, tone: 'warn', bold: true }, { text: '[y/N]', bold: true }]} />;
  }
  if (modal?.kind === 'input') {
    const hint = modal.purpose === 'command' && modal.hint ? `  ${modal.hint}` : '';
    // A name typed to confirm an irreversible request reads as a warning, as a confirm line does.
    const field = <Line theme={theme} segments={[{ text: `${modal.label} `, tone: modal.purpose === 'confirm' ? 'warn' : 'accent', bold: true }, { text: `[${modal.value}▏]` }, { text: hint, tone: 'muted' }]} />;
    if (login === undefined) return field;
    return (
      <Box flexDirection="column">
        {loginRows(login, width).map((row, i) => (
          <Line key={i} theme={theme} segments={[row]} />
        ))}
        {field}
      </Box>
    );
  }
  if (modal?.kind === 'rule') {
    // The form's line, and under it why a rule did not parse, when it did not.
    const expiry = RULE_EXPIRIES[modal.expiry]?.label ?? '';
    return (
      <Box flexDirection="column">
        <Line
          theme={theme}
          segments={[
            { text: `${modal.effect} #${modal.approvalId} + rule `, tone: modal.effect === 'allow' ? 'ok' : 'error', bold: true },
            { text: `[${modal.text}▏]` },
            { text: ` for ${modal.scope === 'agent' ? modal.agent : 'the whole hive'}, ${expiry}`, tone: 'accent' },
          ]}
        />
        {flash
          ? wrapWords(flash.text, width - 1)
              .slice(0, Math.max(0, rows - 1))
              .map((row, i) => <Line key={i} theme={theme} segments={[{ text: row, tone: 'error' }]} />)
          : null}
      </Box>
    );
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
