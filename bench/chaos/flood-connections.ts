/** Chaos case `flood-connections` (the case itself is in `flood-cases.ts`). */
import { intFlag, type ChaosCase } from './chaos-case.js';
import { connectionFlood } from './flood-cases.js';
import { runIfMain } from './support.js';

export const chaosCase: ChaosCase = {
  name: 'flood-connections',
  about: '10,000 idle connections to one agent socket (--connections); list and a spawn approval still work',
  run: () => connectionFlood(intFlag('connections', 10_000)),
};

await runIfMain(chaosCase, import.meta.url);
