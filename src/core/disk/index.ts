/** The disk door: trusted directories, kernel-released locks, atomic files, and file errors in plain words. */
export { prepareHiveDirs, lockHiveDirs, type HiveDirs } from './hive-dirs.js';
export { ensurePrivateDir, checkPrivateDir } from './private-dir.js';
export { writeFileAtomic, readFileNoFollow } from './atomic-file.js';
export { describeFsError, describeStoreError, fsErrorCause } from './fs-error.js';
