/** The JSONL run record: one `{index, emitted_at_ms, frame_depth?, …event}` line per event, rotating by size. */
import fs from 'node:fs';
import path from 'node:path';
import type { EventSink, StampedEvent } from './sink.js';

/** Default size at which the record moves on to the next file. */
export const DEFAULT_JSONL_MAX_BYTES = 100 * 1024 * 1024;

const FLUSH_BYTES = 64 * 1024;

/** `run.jsonl` → `run-000001.jsonl`, `run-000002.jsonl`, … */
export function rotatedPath(basePath: string, generation: number): string {
  if (generation === 0) return basePath;
  const ext = path.extname(basePath) || '.jsonl';
  const stem = basePath.slice(0, basePath.length - path.extname(basePath).length);
  return `${stem}-${String(generation).padStart(6, '0')}${ext}`;
}

/**
 * Buffers lines in memory up to 64 KiB and writes them synchronously, so a
 * crash loses at most one buffer. The file is truncated at open.
 */
export class JsonlSink implements EventSink {
  readonly name = 'jsonl';
  private fd: number;
  private generation = 0;
  private fileBytes = 0;
  private pending: string[] = [];
  private pendingBytes = 0;
  private index = 0;

  constructor(
    private readonly basePath: string,
    private readonly maxBytes: number = DEFAULT_JSONL_MAX_BYTES,
    private readonly frameDepth?: number,
  ) {
    fs.mkdirSync(path.dirname(basePath), { recursive: true });
    this.fd = fs.openSync(basePath, 'w');
  }

  /** The file being written now. */
  get currentPath(): string {
    return rotatedPath(this.basePath, this.generation);
  }

  write(event: StampedEvent): void {
    const record = this.frameDepth === undefined
      ? { index: this.index++, emitted_at_ms: event.ts_ms, ...event }
      : { index: this.index++, emitted_at_ms: event.ts_ms, frame_depth: this.frameDepth, ...event };
    const line = JSON.stringify(record) + '\n';
    const bytes = Buffer.byteLength(line);
    if (this.fileBytes + this.pendingBytes + bytes > this.maxBytes && this.fileBytes + this.pendingBytes > 0) {
      this.writePending();
      this.rotate();
    }
    this.pending.push(line);
    this.pendingBytes += bytes;
    if (this.pendingBytes >= FLUSH_BYTES) this.writePending();
  }

  async flush(): Promise<void> {
    this.writePending();
  }

  async close(): Promise<void> {
    this.writePending();
    fs.closeSync(this.fd);
  }

  private writePending(): void {
    if (this.pendingBytes === 0) return;
    const data = this.pending.join('');
    const bytes = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    fs.writeSync(this.fd, data);
    this.fileBytes += bytes;
  }

  private rotate(): void {
    fs.closeSync(this.fd);
    this.generation++;
    this.fd = fs.openSync(this.currentPath, 'w');
    this.fileBytes = 0;
  }
}
