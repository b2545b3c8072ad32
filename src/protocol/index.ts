/** What every hyperhive program shares: wire shapes, codec, names, sanitizer, paths. */
export * from './records.js';
export * from './events.js';
export * from './requests.js';
export * from './responses.js';
export * from './config.js';
export * from './names.js';
export * from './sanitize.js';
export * from './display.js';
export * from './jsonl.js';
export * from './paths.js';
export * from './client.js';
export * from './subscription.js';
export * from './http-client.js';
export * from './sse-transport.js';
export * from './live-event-cap.js';
export * from './spend.js';
export * from './zoned-time.js';
