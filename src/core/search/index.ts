/** The search door: full-text search over the agents' stored streams, and the index that serves it. */
export { SearchService } from './search-service.js';
export type { SearchPage } from './event-search.js';
