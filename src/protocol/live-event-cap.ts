/**
 * One live event is at most 64 KiB as stored and sent (the harness cuts
 * before it forwards, the core again before it stores). A larger one keeps
 * its shape: its longest strings are cut, each ending in a visible
 * `[… N bytes cut]`, and `full_bytes` says how large the event was. An event
 * whose bulk is not in strings (a huge array of numbers, say) becomes a
 * `note` saying what was dropped.
 */

/** Most bytes of one stored live event line (newline excluded). */
export const MAX_LIVE_EVENT_BYTES = 64 * 1024;

/** Strings are never cut shorter than this (a cut needs room to say so). */
const MIN_KEPT_CHARS = 256;
/** Most cutting passes before falling back to a note. */
const MAX_PASSES = 64;

type Container = Record<string, unknown> | unknown[];
type StringLeaf = { parent: Container; key: string | number; value: string };

/** `line` (a stored event line without its newline) if it fits `maxBytes`, else the line of its cut form. */
export function capLiveEventLine(line: string, maxBytes: number = MAX_LIVE_EVENT_BYTES): string {
  const fullBytes = Buffer.byteLength(line);
  if (fullBytes <= maxBytes) return line;
  const event = JSON.parse(line) as Record<string, unknown>;
  event.full_bytes = fullBytes;
  const cutMarker = (n: number) => `[… ${n} bytes cut]`;
  // Room for the marker and for `full_bytes` itself.
  const budget = maxBytes - 64;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const current = JSON.stringify(event);
    const over = Buffer.byteLength(current) - budget;
    if (over <= 0) return current;
    const leaf = longestString(event);
    if (!leaf || leaf.value.length <= MIN_KEPT_CHARS) break;
    // Escaping makes a character cost more than a byte on the wire: cut in proportion.
    const encoded = Buffer.byteLength(JSON.stringify(leaf.value));
    const perChar = encoded / leaf.value.length;
    let keep = Math.max(MIN_KEPT_CHARS, Math.floor(leaf.value.length - (over + 32) / perChar));
    if (keep < leaf.value.length && isHighSurrogate(leaf.value.charCodeAt(keep - 1))) keep--;
    const kept = leaf.value.slice(0, keep);
    const cutBytes = Buffer.byteLength(leaf.value) - Buffer.byteLength(kept);
    setLeaf(leaf, `${kept}${cutMarker(cutBytes)}`);
  }
  const fallback = {
    kind: 'note',
    seq: event.seq,
    agent: event.agent,
    ts_ms: event.ts_ms,
    text: `[a ${String(event.kind).slice(0, 64)} event of ${fullBytes} bytes was too large to keep; ${cutMarker(fullBytes)}]`,
    full_bytes: fullBytes,
  };
  return JSON.stringify(fallback);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** The longest string anywhere in `root` (walked without recursion: nesting may be deep). */
function longestString(root: Record<string, unknown>): StringLeaf | undefined {
  let best: StringLeaf | undefined;
  const stack: Container[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const keys: (string | number)[] = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    for (const key of keys) {
      // The envelope is the core's and stays whole.
      if (node === root && (key === 'kind' || key === 'agent')) continue;
      const value = (node as Record<string | number, unknown>)[key];
      if (typeof value === 'string') {
        if (!best || value.length > best.value.length) best = { parent: node, key, value };
      } else if (typeof value === 'object' && value !== null) {
        stack.push(value as Container);
      }
    }
  }
  return best;
}

function setLeaf(leaf: StringLeaf, value: string): void {
  (leaf.parent as Record<string | number, unknown>)[leaf.key] = value;
}
