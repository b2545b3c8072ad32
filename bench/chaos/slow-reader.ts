/** Chaos case `slow-reader` (the case itself is in `flood-cases.ts`). */
import type { ChaosCase } from './chaos-case.js';
import { slowReader } from './flood-cases.js';
import { runIfMain } from './support.js';

export const chaosCase: ChaosCase = {
  name: 'slow-reader',
  about: 'a subscriber that reads slowly: whole lines, then lagged, then EOF',
  run: () => slowReader(),
};

await runIfMain(chaosCase, import.meta.url);
