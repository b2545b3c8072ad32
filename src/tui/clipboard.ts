/**
 * Copying with OSC 52: the terminal puts the text on the system clipboard,
 * over ssh too — where the terminal allows it. What may stop it is said
 * with the copy (tmux passes it on only with `set-clipboard on`).
 */

/** Text longer than this is cut: many terminals drop larger OSC 52 sequences whole. */
export const CLIPBOARD_MAX_BYTES = 74_994;

/** The OSC 52 sequence that sets the clipboard to `text` (cut to the limit). */
export function osc52(text: string): { sequence: string; cut: boolean } {
  let bytes = Buffer.from(text, 'utf8');
  const cut = bytes.length > CLIPBOARD_MAX_BYTES;
  if (cut) bytes = bytes.subarray(0, CLIPBOARD_MAX_BYTES);
  return { sequence: `\u001b]52;c;${bytes.toString('base64')}\u0007`, cut };
}

/**
 * Why the copy may not have reached the clipboard, if something is known to
 * stop it: tmux without `set-clipboard` on (`tmuxSetting` is its value, when
 * it could be asked), GNU screen, the Linux console.
 */
export function clipboardCaveat(env: NodeJS.ProcessEnv, tmuxSetting?: string): string | undefined {
  if (env.TMUX) {
    if (tmuxSetting === 'on' || tmuxSetting === 'external') return undefined;
    if (tmuxSetting === 'off') return 'tmux has set-clipboard off: run `tmux set -g set-clipboard on` to let it through';
    return 'inside tmux it reaches the clipboard only with `set -g set-clipboard on`';
  }
  if (env.STY) return 'GNU screen does not pass OSC 52 on';
  if (env.TERM === 'linux') return 'the Linux console has no clipboard';
  return undefined;
}

/** The sentence said after a copy. */
export function copyMessage(what: string, chars: number, cut: boolean, caveat: string | undefined): string {
  const copied = `copied ${what} (${cut ? `cut to ${CLIPBOARD_MAX_BYTES} bytes of ${chars} chars` : `${chars} chars`}) with OSC 52`;
  return caveat ? `${copied} — ${caveat}` : `${copied}; the terminal must allow OSC 52`;
}
