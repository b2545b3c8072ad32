/** Agent streams as the operator sees them: the real core, the real client, the console drawn by ink-testing-library. */
import { test, after, afterEach } from 'node:test';
import { render, cleanup } from 'ink-testing-library';
import { startCore, waitFor, type RunningCore } from '../../testing/hive.js';
import { App } from '../App.js';
import { noColorTheme } from '../theme/theme.js';
import { KEYS, waitForFrame } from '../testing/test-hive.js';
import { HiveClient } from './hive-client.js';

const config = { name: 'tui-test', backend: 'external', manager: 'manager', agents: { manager: {}, iris: { parent: 'manager' } } };
let core: RunningCore | undefined;
const clients: HiveClient[] = [];
afterEach(() => cleanup());
after(async () => {
  for (const c of clients) c.stop();
  await core?.cleanup();
});

test('a tool result arriving alone redraws the pane with ✓', async () => {
  core = await startCore({ config });
  const emit = (events: object[]) => core!.agentRequest('iris', { cmd: 'emit', events });
  const client = new HiveClient({ socketPath: core.hostSocket, readOnly: false });
  clients.push(client);
  client.start();
  const r = render(<App hive={client} theme={noColorTheme} bell={false} size={{ columns: 100, rows: 24 }} />);
  await waitForFrame(r.lastFrame, (f) => f.includes('● live') && f.includes('iris'));
  r.stdin.write('j');
  await waitForFrame(r.lastFrame, (f) => /› .*iris/.test(f));
  r.stdin.write(KEYS.enter);
  await waitForFrame(r.lastFrame, (f) => f.includes('iris ⇣ following'));
  await waitFor(() => client.getState().streams.iris !== undefined, { timeoutMs: 5000, what: 'the stream to open' });

  await emit([{ kind: 'stream', data: { type: 'assistant', message: { content: [{ type: 'tool_use', id: 'tu1', name: 'Read', input: { file_path: 'package.json' } }] } } }]);
  await waitForFrame(r.lastFrame, (f) => f.includes('» Read package.json …'), 5000);
  // Nothing else happens after the result: the pane must redraw because of it alone.
  await emit([{ kind: 'stream', data: { type: 'user', message: { content: [{ type: 'tool_result', tool_use_id: 'tu1', content: '{}' }] } } }]);
  await waitForFrame(r.lastFrame, (f) => f.includes('» Read package.json ✓'), 5000);
});
