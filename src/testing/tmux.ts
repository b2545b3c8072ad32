/** Test helper: a terminal in tmux (its own `-L` server, so parallel runs never meet) with keys in and the screen out. */
import { execFileSync, spawnSync } from 'node:child_process';
import { waitFor } from './hive.js';

/** Whether tmux can run here (tests that need it skip otherwise). */
export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

/** A tmux server named `socketName` and its session `session`. */
export function tmuxTerminal(socketName: string, session = 'tui') {
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socketName, ...args], { encoding: 'utf8' });
  const screen = () => tmux('capture-pane', '-p', '-t', session);
  return {
    tmux,
    screen,
    /** Named keys (`Enter`, `Escape`) or characters, as tmux send-keys takes them. */
    press: (...keys: string[]) => tmux('send-keys', '-t', session, ...keys),
    /** Literal text. */
    type: (text: string) => tmux('send-keys', '-t', session, '-l', text),
    /** Wait until the screen matches; on a timeout the error shows the screen. */
    async waitScreen(pattern: RegExp, what: string): Promise<string> {
      let last = '';
      try {
        await waitFor(() => pattern.test((last = screen())), { timeoutMs: 15_000, what });
      } catch (err) {
        throw new Error(`${(err as Error).message}\n--- screen ---\n${last}`);
      }
      return last;
    },
    kill: () => spawnSync('tmux', ['-L', socketName, 'kill-server']),
  };
}
