/**
 * The container's hands: runs the effects `handleKey` asks for — quitting,
 * requests to the core, fetches, a context switch, the clipboard and the
 * pager — and says how each went in the status line.
 */
import { useCallback } from 'react';
import { execFile } from 'node:child_process';
import { useApp } from 'ink';
import { clipboardCaveat, copyMessage, osc52 } from './clipboard.js';
import { colourDiff } from './diff.js';
import type { ContextSwitch, HiveSource, TerminalControl } from './hive-source.js';
import { runPager } from './pager.js';
import type { Theme } from './theme/theme.js';
import { toolCallText } from './tool-call.js';
import type { HostRequest } from '../protocol/index.js';
import type { ReportName } from './reports.js';
import type { Effect } from './ui/ui-state.js';

interface EffectRunnerOptions {
  hive: HiveSource;
  contexts: ContextSwitch | undefined;
  theme: Theme;
  terminal: TerminalControl | undefined;
  copyToClipboard: ((sequence: string) => void) | undefined;
  processEnv: NodeJS.ProcessEnv;
  /** Say something in the status line. */
  say(text: string, tone: 'info' | 'error'): void;
  runReport(name: ReportName, request: HostRequest): void;
  runOlderSearch(ask: { query: string; before: number; limit: number }): void;
}

/** The function that runs a key's effects, in order. */
export function useEffectRunner({ hive, contexts, theme, terminal, copyToClipboard, processEnv, say, runReport, runOlderSearch }: EffectRunnerOptions): (effects: Effect[]) => void {
  const app = useApp();

  const page = useCallback(
    (text: string) => {
      if (!terminal) return say('no terminal to lend the pager', 'error');
      void terminal.runOutside(() => runPager(text, processEnv)).then((problem) => problem && say(problem, 'error'));
    },
    [terminal, processEnv, say],
  );

  return useCallback(
    (effects: Effect[]) => {
      for (const effect of effects) {
        switch (effect.type) {
          case 'quit':
            app.exit();
            break;
          case 'load_older':
            void hive.loadOlder(effect.agent);
            break;
          case 'fetch_approval':
            void hive.fetchApproval(effect.id, effect.from, effect.against);
            break;
          case 'fetch_rules':
            void hive.fetchRules?.();
            break;
          case 'report':
            runReport(effect.name, effect.request);
            break;
          case 'search_older':
            runOlderSearch(effect);
            break;
          case 'switch_context': {
            const problem = !contexts
              ? 'this console knows one hive; name others in the contexts file (see --help)'
              : effect.name === undefined
                ? `contexts: ${contexts.names().map((n) => (n === contexts.current ? `${n} (shown)` : n)).join(', ')} — :ctx NAME switches`
                : contexts.switchTo(effect.name);
            if (problem) say(problem, effect.name === undefined && contexts ? 'info' : 'error');
            break;
          }
          case 'request':
            void hive.request(effect.pending.request).then((outcome) => {
              const queued = effect.pending.queuesApproval && outcome.ok && typeof outcome.response.id === 'number' ? `: approval #${outcome.response.id} waits in the attention queue` : '';
              if (outcome.ok) say(`✓ ${effect.pending.what}${queued}`, 'info');
              else say(`✗ ${effect.pending.what} failed: ${outcome.error}`, 'error');
            });
            break;
          case 'copy': {
            if (!copyToClipboard) {
              say('this console has no terminal to copy through', 'error');
              break;
            }
            const { sequence, cut } = osc52(effect.text);
            copyToClipboard(sequence);
            const report = (setting?: string) => say(copyMessage(effect.what, effect.text.length, cut, clipboardCaveat(processEnv, setting)), 'info');
            // Inside tmux, ask it whether it passes the clipboard on, to say so plainly.
            if (processEnv.TMUX) execFile('tmux', ['show-options', '-gv', 'set-clipboard'], { timeout: 2000 }, (err, out) => report(err ? undefined : String(out).trim()));
            else report();
            break;
          }
          case 'pager':
            page(effect.text);
            break;
          case 'pager_approval':
            void (async () => {
              const known = hive.getState().approvalDetails[effect.id] ?? hive.getState().approvals[effect.id];
              if (known?.kind === 'tool_permission') {
                // A tool call without a diff pages what it would run: the command, the input. A held
                // detail is not fetched again, which would put the view back on the diff's first page.
                if (!hive.getState().approvalDetails[effect.id]) await hive.fetchApproval(effect.id);
                const a = hive.getState().approvalDetails[effect.id];
                const call = a && !a.diff ? toolCallText(a) : undefined;
                if (call) return page(call.text);
              }
              // Every page of the diff, not only the one the view holds.
              const whole = await hive.wholeDiff(effect.id, effect.against);
              if (!whole.ok) return say(`cannot open the diff of #${effect.id}: ${whole.error}`, 'error');
              if (!whole.diff) return say(`approval #${effect.id} has no diff to show`, 'info');
              page(theme.styles ? colourDiff(whole.diff) : whole.diff);
            })();
            break;
        }
      }
    },
    [app, hive, contexts, say, page, copyToClipboard, processEnv, theme, runReport, runOlderSearch],
  );
}
