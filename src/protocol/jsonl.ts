/**
 * JSON-lines codec: one UTF-8 JSON value per `\n`-terminated line, a hard cap
 * on line length, writes that respect back-pressure.
 */
import type { Writable } from 'node:stream';

/** Default cap on one line, in bytes (newline excluded). */
export const MAX_LINE_BYTES = 1024 * 1024;

const NEWLINE = 0x0a;

/** What a `LineSplitter` hands out: a complete line, or an overflow report. */
export type SplitResult = { kind: 'line'; line: string } | { kind: 'overflow'; bytes: number };

/**
 * Splits a byte stream into lines without ever buffering more than
 * `maxLineBytes`. An over-long line is reported once as `overflow` and its
 * remaining bytes are skipped up to the next newline; the stream goes on.
 */
export class LineSplitter {
  private chunks: Buffer[] = [];
  private pendingBytes = 0;
  private skipping = false;

  constructor(private readonly maxLineBytes: number = MAX_LINE_BYTES) {}

  /** Feed a chunk; returns the lines (and overflows) it completed, in order. */
  push(chunk: Buffer): SplitResult[] {
    const out: SplitResult[] = [];
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(NEWLINE, start);
      const end = nl === -1 ? chunk.length : nl;
      const piece = chunk.subarray(start, end);
      if (this.skipping) {
        if (nl !== -1) this.skipping = false;
      } else if (this.pendingBytes + piece.length > this.maxLineBytes) {
        out.push({ kind: 'overflow', bytes: this.pendingBytes + piece.length });
        this.chunks = [];
        this.pendingBytes = 0;
        this.skipping = nl === -1;
      } else if (nl === -1) {
        this.chunks.push(piece);
        this.pendingBytes += piece.length;
      } else {
        let line: string;
        if (this.chunks.length === 0) {
          line = piece.toString('utf8');
        } else {
          this.chunks.push(piece);
          line = Buffer.concat(this.chunks, this.pendingBytes + piece.length).toString('utf8');
          this.chunks = [];
          this.pendingBytes = 0;
        }
        if (line.endsWith('\r')) line = line.slice(0, -1);
        if (line.length > 0) out.push({ kind: 'line', line });
      }
      if (nl === -1) break;
      start = nl + 1;
    }
    return out;
  }

  /** Bytes of an unfinished line still held (a stream that ends mid-line leaves these). */
  get buffered(): number {
    return this.pendingBytes;
  }

  /** The unfinished tail, if any (for streams that end without a final newline). */
  flush(): string | null {
    if (this.pendingBytes === 0 || this.skipping) return null;
    const line = Buffer.concat(this.chunks, this.pendingBytes).toString('utf8');
    this.chunks = [];
    this.pendingBytes = 0;
    return line;
  }
}

/** A decoded line: the parsed JSON value, or why it could not be parsed. */
export type DecodedLine = { ok: true; value: unknown } | { ok: false; error: string };

/** Parse one line as JSON, as a value rather than a throw. */
export function decodeLine(line: string): DecodedLine {
  try {
    return { ok: true, value: JSON.parse(line) };
  } catch (err) {
    return { ok: false, error: `line is not valid JSON: ${(err as Error).message}` };
  }
}

/** Serialize one value as a line (with its newline). */
export function encodeLine(value: unknown): string {
  return JSON.stringify(value) + '\n';
}

/**
 * Write one line; resolves once the stream has taken it, waiting for `drain`
 * when the stream's buffer is full. Rejects if the stream closes first.
 */
export function writeLine(stream: Writable, value: unknown): Promise<void> {
  return writeRaw(stream, encodeLine(value));
}

/** Write pre-encoded bytes with the same back-pressure rules as `writeLine`. */
export function writeRaw(stream: Writable, data: string | Buffer): Promise<void> {
  if (stream.destroyed || !stream.writable) {
    return Promise.reject(new Error('stream is closed'));
  }
  if (stream.write(data)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      stream.off('drain', onDrain);
      stream.off('close', onClose);
      stream.off('error', onError);
    };
    const onDrain = () => {
      cleanup();
      resolve();
    };
    const onClose = () => {
      cleanup();
      reject(new Error('stream closed before the write drained'));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    stream.on('drain', onDrain);
    stream.on('close', onClose);
    stream.on('error', onError);
  });
}
