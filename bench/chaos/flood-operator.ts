/** Chaos case `flood-operator` (the case itself is in `flood-cases.ts`). */
import { intFlag, type ChaosCase } from './chaos-case.js';
import { operatorFlood } from './flood-cases.js';
import { runIfMain } from './support.js';

export const chaosCase: ChaosCase = {
  name: 'flood-operator',
  about: '300 messages of 60 KiB to the operator (--messages); state and the subscribe ack under 1 MiB, the console live',
  run: () => operatorFlood(intFlag('messages', 300)),
};

await runIfMain(chaosCase, import.meta.url);
