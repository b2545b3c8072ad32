/**
 * The one sanitizer every agent- or config-originated string passes before it
 * reaches a terminal. Escape sequences (CSI, OSC, DCS, SOS/PM/APC, and 8-bit
 * C1 forms) are removed; other control characters and bidi overrides are made
 * visible as Unicode control pictures / `<U+XXXX>` so nothing is hidden.
 * Newline and tab survive.
 */

// ESC [ ... final | ESC ] ... (BEL | ESC \) | ESC P/X/^/_ ... ESC \ | ESC + single char.
// The 8-bit forms (CSI 0x9b, OSC 0x9d, DCS 0x90, SOS 0x98, PM 0x9e, APC 0x9f) are handled alike.
const ESCAPE_SEQUENCE = new RegExp(
  [
    '(?:\\u001b\\[|\\u009b)[\\u0030-\\u003f]*[\\u0020-\\u002f]*[\\u0040-\\u007e]?', // CSI
    '(?:\\u001b\\]|\\u009d)[^\\u0007\\u001b\\u009c]*(?:\\u0007|\\u001b\\\\|\\u009c)?', // OSC
    '(?:\\u001b[PX^_]|[\\u0090\\u0098\\u009e\\u009f])[^\\u001b\\u009c]*(?:\\u001b\\\\|\\u009c)?', // DCS SOS PM APC
    '\\u001b[\\u0020-\\u002f]*[\\u0030-\\u007e]?', // other ESC sequences (and a lone ESC)
  ].join('|'),
  'g',
);

// C0 (but \t and \n), DEL, C1 (NEL U+0085 among them), the Unicode line and paragraph
// separators (they break lines like \v and \f, behind the console's back), bidi embeddings/overrides/isolates.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHAR = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function visible(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code); // ␀…␟
  if (code === 0x7f) return '\u2421'; // ␡
  return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
}

/** Make `text` safe to print to a terminal: no escape sequences, no hidden controls. */
export function sanitize(text: string): string {
  if (!needsSanitizing(text)) return text;
  return text.replace(/\r\n/g, '\n').replace(ESCAPE_SEQUENCE, '').replace(UNSAFE_CHAR, visible);
}

// Fast path: most text is plain.
// eslint-disable-next-line no-control-regex
const ANY_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
function needsSanitizing(text: string): boolean {
  return ANY_UNSAFE.test(text);
}

/** Sanitize and collapse to one line (for table cells, status text, titles). */
export function sanitizeOneLine(text: string): string {
  return sanitize(text).replace(/[\n\t]+/g, ' ');
}
