/**
 * The console drawn offscreen, as a start draws it: the first frame with no
 * core yet, then the schemas and a roster from a snapshot they checked. The
 * bundle runs this at build time so V8's code cache holds what a start
 * compiles (code-cache.ts); nothing here touches a terminal or a core.
 */
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { render } from 'ink';
import { App } from './App.js';
import type { HiveSource } from './hive-source.js';
import { HiveClient } from './client/hive-client.js';
import { HiveStore } from './client/hive-store.js';
import { idleAgentRow } from './client/idle-agent-row.js';
import type { AgentStatusRow } from '../protocol/index.js';
import { loadSchemas } from './client/schemas.js';
import { themeFor } from './theme/theme.js';
import { FrameStream } from './terminal/screen.js';

/** A roster with the states a start usually shows. */
function sampleSnapshot(nowSeconds: number): unknown {
  const row = (name: string, extra: Partial<AgentStatusRow> = {}): AgentStatusRow => ({ ...idleAgentRow(name, nowSeconds - 60), active_model: 'sonnet', ...extra });
  const agents = [
    row('manager', { turn_state: 'thinking', status_text: 'planning', status_set_at: new Date().toISOString(), unread: 2 }),
    row('iris', { parent: 'manager', paused: true }),
    row('zed', { parent: 'manager', failed: true, running: false }),
    ...Array.from({ length: 20 }, (_, i) => row(`agent-${i}`)),
  ];
  return { seq: 1, agents, approvals: [], questions: [], transients: {}, operator_inbox: [] };
}

function draw(hive: HiveSource) {
  const frames = new FrameStream({ write: () => true }, { columns: 120, rows: 40 });
  return render(<App hive={hive} theme={themeFor(2)} bell={false} />, {
    stdout: frames as unknown as NodeJS.WriteStream,
    stdin: new PassThrough() as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
}

/** Draw the console offscreen: the first frame without a core, then a roster. */
export async function warmUpConsole(): Promise<void> {
  const client = new HiveClient({ socketPath: path.join(os.tmpdir(), `hyperhive-warm-up-${process.pid}.sock`), readOnly: false });
  client.start();
  const first = draw(client);
  const schemas = await loadSchemas();
  const store = new HiveStore({ where: 'warm-up', readOnly: false });
  store.enqueue({ type: 'snapshot', snapshot: schemas.StateSnapshot.parse(sampleSnapshot(Math.floor(Date.now() / 1000))) });
  store.enqueue({ type: 'connection', info: { phase: 'live' } });
  store.flush();
  const roster = draw({
    getState: store.getState,
    subscribe: store.subscribe,
    request: async () => ({ ok: true, response: {} }),
    fetchApproval: async () => undefined,
    wholeDiff: async () => ({ ok: false, error: 'nothing to page while warming up' }),
    loadOlder: async () => undefined,
    watchStreams: () => undefined,
  });
  await new Promise((resolve) => setImmediate(resolve));
  roster.unmount();
  first.unmount();
  client.stop();
  store.stop();
}
