/**
 * The protocol's zod-free parts (sanitizer, default paths, the JSON-lines
 * client and codec, the resumable subscription), for a program that must draw before the schemas load:
 * the TUI imports these at start and the schemas (`index.ts`) after its first frame.
 */
export * from './sanitize.js';
export * from './display.js';
export * from './models.js';
export * from './paths.js';
export * from './client.js';
export * from './jsonl.js';
export * from './subscription.js';
export * from './unified-diff.js';
export * from './http-client.js';
export * from './sse-transport.js';
export * from './permission-rules.js';
export * from './rule-proposal.js';
export * from './path-pattern.js';
