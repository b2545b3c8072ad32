/** The store door: the one sqlite file of the hive, opened and migrated. */
export { openDatabase, writeTransaction, type Db } from './database.js';
export { Checkpointer, FALLBACK_AUTOCHECKPOINT_PAGES } from './checkpointer.js';
