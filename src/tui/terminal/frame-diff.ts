/**
 * Drawing a full-screen frame: each row is put at its place with an absolute
 * cursor move and only rows that changed are sent, so what is on screen never
 * depends on where the cursor was or on how the terminal reflowed the last
 * frame after a resize. Pure: lines in, bytes out.
 */

const CSI = '\u001b[';
/** Synchronized output (DEC mode 2026): the terminal shows the frame whole; terminals without it ignore the mode. */
export const BEGIN_SYNC = `${CSI}?2026h`;
export const END_SYNC = `${CSI}?2026l`;

/**
 * The bytes that turn the screen showing `prev` into one showing `next`
 * (each cut to `rows` lines). `prev` undefined: the screen's content is
 * unknown (first frame, after a resize or a suspend), so it is cleared and
 * drawn whole. Empty when nothing changed.
 */
export function frameUpdate(prev: readonly string[] | undefined, next: readonly string[], rows: number): string {
  const lines = next.length > rows ? next.slice(0, rows) : next;
  let out = prev === undefined ? `${CSI}H${CSI}0m${CSI}2J` : '';
  for (let i = 0; i < lines.length; i++) {
    if (prev !== undefined && prev[i] === lines[i]) continue;
    // Reset, then clear the row before writing it: erasing after writing would take the last column
    // with it when the line fills the row.
    out += `${CSI}${i + 1};1H${CSI}0m${CSI}2K${lines[i]}`;
  }
  if (prev !== undefined && prev.length > lines.length) out += `${CSI}${lines.length + 1};1H${CSI}0m${CSI}J`;
  return out === '' ? '' : BEGIN_SYNC + out + `${CSI}0m` + END_SYNC;
}

/** Split Ink's frame (rows joined by newlines) into rows. */
export function frameLines(frame: string): string[] {
  const lines = frame.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
