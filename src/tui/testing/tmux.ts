/** The console in a real terminal (tmux) for end-to-end tests. */
import { TmuxServer, type TmuxSession } from '../../testing/tmux.js';
import { tuiEntry } from './demo-hive.js';

export { hasTmux, TmuxSession } from '../../testing/tmux.js';

/** A tmux server that starts the built console. */
export class Tmux extends TmuxServer {
  /** The console in a new session; the pane says `hyperhive-tui exited with N` after it and stays open. */
  startTui(session: string, opts: { args: string[]; env?: Record<string, string>; stderrFile: string; columns?: number; rows?: number; before?: string }): TmuxSession {
    const { args, ...rest } = opts;
    return this.start(session, { ...rest, argv: [process.execPath, tuiEntry, ...args], label: 'hyperhive-tui' });
  }
}
