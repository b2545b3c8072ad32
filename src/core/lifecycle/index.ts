/** The lifecycle door: pick a backend by the config's `backend`. */
import type { HiveConfig } from '../../protocol/index.js';
import type { LifecycleBackend, LifecycleHost } from './backend.js';
import { ExternalBackend } from './external.js';

export type { LifecycleBackend, LifecycleHost, BackendStatus } from './backend.js';
export { ExternalBackend } from './external.js';

/** Load the backend named by the config (the process backend is loaded only when used). */
export async function loadBackendFactory(kind: HiveConfig['backend']): Promise<(host: LifecycleHost) => LifecycleBackend> {
  switch (kind) {
    case 'external':
      return (host) => new ExternalBackend(host);
    case 'process': {
      const modulePath = new URL('./process.js', import.meta.url).href;
      const mod = (await import(modulePath)) as { ProcessBackend: new (host: LifecycleHost) => LifecycleBackend };
      return (host) => new mod.ProcessBackend(host);
    }
    case 'nixos-container':
      throw new Error('the nixos-container backend is not part of this build; use "process" or "external"');
  }
}
