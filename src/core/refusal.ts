/** Expected failures are values: a refusal carries a sentence for a person and a wire code. */
import type { ErrorCode } from '../protocol/index.js';

export interface Refusal {
  readonly refused: true;
  readonly error: string;
  readonly code: ErrorCode;
}

export function refuse(code: ErrorCode, error: string): Refusal {
  return { refused: true, error, code };
}

export function isRefusal(value: unknown): value is Refusal {
  return typeof value === 'object' && value !== null && (value as Refusal).refused === true;
}

/** The moment now, in the wire's two time forms. */
export function nowUnix(): number {
  return Math.floor(Date.now() / 1000);
}

export function nowRfc3339(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}
