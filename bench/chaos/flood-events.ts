/** Chaos case `flood-events` (the case itself is in `flood-cases.ts`). */
import { intFlag, type ChaosCase } from './chaos-case.js';
import { eventFlood } from './flood-cases.js';
import { runIfMain } from './support.js';

export const chaosCase: ChaosCase = {
  name: 'flood-events',
  about: '600 note events of 1 MB with three agent_stream viewers (--events, --event-cap-mib 16); lines, memory and the store bounded',
  run: () => eventFlood(intFlag('events', 600), intFlag('event-cap-mib', 16)),
};

await runIfMain(chaosCase, import.meta.url);
