export { ResourceSampler, type ResourcesAnswer } from './resource-sampler.js';
export type { TurnPeaks } from './resource-tracker.js';
