/** The lifecycle door: pick a backend by the config's `backend`. */
import type { HiveConfig } from '../../protocol/index.js';
import type { LifecycleBackend, LifecycleHost } from './backend.js';
import { ExternalBackend } from './external.js';
import { ProcessBackend } from './process.js';
import { NixosContainerBackend } from './nixos-container.js';

export type { LifecycleBackend, LifecycleHost, BackendStatus } from './backend.js';
export { ExternalBackend } from './external.js';

export { ProcessBackend } from './process.js';
export { NixosContainerBackend } from './nixos-container.js';
export { containerName } from './container-name.js';
export { CONTAINER_PATHS } from './container-files.js';

/** The backend named by the config. */
export async function loadBackendFactory(kind: HiveConfig['backend']): Promise<(host: LifecycleHost) => LifecycleBackend> {
  switch (kind) {
    case 'external':
      return (host) => new ExternalBackend(host);
    case 'process':
      return (host) => new ProcessBackend(host);
    case 'nixos-container':
      return (host) => new NixosContainerBackend(host);
  }
}
