/**
 * The words of a live event that search finds it by: what the assistant
 * wrote (text and thinking), its tool calls, the tool results it got back,
 * notes, and the message that started a turn. Pure: an event in, text out.
 */

import type { SearchSource } from '../../protocol/index.js';

/** Where in an event a piece of its text came from (search results say which). */
export type TextSource = SearchSource;

/** One piece of an event's searchable text. */
export interface TextPiece {
  source: TextSource;
  text: string;
}

/**
 * Most characters of one event the index takes. A longer text is indexed by
 * its head and its tail (where a command's output says what went wrong),
 * which keeps indexing cheap beside storing however large tool results get.
 */
export const MAX_INDEXED_CHARS = 6 * 1024;
const TAIL_CHARS = 2 * 1024;

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The pieces of `event`'s text worth finding it by, in the order they appear; empty when there are none. */
export function eventTextPieces(event: Obj): TextPiece[] {
  switch (event.kind) {
    case 'stream':
      return isObj(event.data) ? streamPieces(event.data) : [];
    case 'note':
      return typeof event.text === 'string' && event.text !== '' ? [{ source: 'note', text: event.text }] : [];
    case 'turn_start':
      return typeof event.body === 'string' && event.body !== '' ? [{ source: 'turn_start', text: event.body }] : [];
    case 'turn_end':
      return typeof event.note === 'string' && event.note !== '' ? [{ source: 'turn_end', text: event.note }] : [];
    default:
      return [];
  }
}

/** Assistant messages (text, thinking, tool calls) and user messages (tool results); other stream-json lines say nothing searchable. */
function streamPieces(data: Obj): TextPiece[] {
  if (data.type !== 'assistant' && data.type !== 'user') return [];
  const message = data.message;
  if (!isObj(message)) return [];
  const content = message.content;
  if (typeof content === 'string') return content ? [{ source: 'text', text: content }] : [];
  if (!Array.isArray(content)) return [];
  const pieces: TextPiece[] = [];
  for (const block of content) {
    if (!isObj(block)) continue;
    switch (block.type) {
      case 'text':
        if (typeof block.text === 'string' && block.text) pieces.push({ source: 'text', text: block.text });
        break;
      case 'thinking':
        if (typeof block.thinking === 'string' && block.thinking) pieces.push({ source: 'thinking', text: block.thinking });
        break;
      case 'tool_use': {
        const input = block.input === undefined ? '' : inputText(block.input);
        const name = typeof block.name === 'string' ? block.name : '';
        if (name || input) pieces.push({ source: 'tool_use', text: input ? `${name} ${input}` : name });
        break;
      }
      case 'tool_result': {
        const text = resultText(block.content);
        if (text) pieces.push({ source: 'tool_result', text });
        break;
      }
    }
  }
  return pieces;
}

/** A tool call's input as words: its string values as they are, anything else as JSON. */
function inputText(input: unknown): string {
  if (typeof input === 'string') return input;
  if (!isObj(input)) return JSON.stringify(input) ?? '';
  const parts: string[] = [];
  for (const value of Object.values(input)) parts.push(typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));
  return parts.join(' ');
}

/** A tool result's content: a string, or text blocks. */
function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  for (const block of content) if (isObj(block) && typeof block.text === 'string') parts.push(block.text);
  return parts.join('\n');
}

/** The text the index takes for `pieces`: all of it, or its head and tail when it is over MAX_INDEXED_CHARS. */
export function indexedText(pieces: readonly TextPiece[]): string {
  if (pieces.length === 0) return '';
  const text = pieces.length === 1 ? pieces[0]!.text : pieces.map((p) => p.text).join('\n');
  if (text.length <= MAX_INDEXED_CHARS) return text;
  return `${text.slice(0, MAX_INDEXED_CHARS - TAIL_CHARS)}\n${text.slice(text.length - TAIL_CHARS)}`;
}
