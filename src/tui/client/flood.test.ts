/** The console's connection layer attaches to a core whose operator inbox an agent flooded (300 messages of 60 KiB). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCore, waitFor } from '../../testing/hive.js';
import { floodOperator } from '../../testing/flood.js';
import { HiveClient } from './hive-client.js';

test('the console goes live on a flooded hive, with the roster, the approval and the newest messages', async () => {
  const core = await startCore({ config: { agents: { iris: {}, damo: {} } } });
  const client = new HiveClient({ socketPath: core.hostSocket, readOnly: false, backoff: { firstMs: 50, maxMs: 200 } });
  try {
    await floodOperator(core, 'iris');
    const spawn = await core.request<{ id: number }>({ cmd: 'request_spawn', name: 'scout' });
    client.start();
    await waitFor(() => client.getState().connection.phase === 'live', { timeoutMs: 20_000, what: `live (now ${client.getState().connection.phase}: ${client.getState().connection.reason ?? ''})` });
    const state = client.getState();
    assert.deepEqual(Object.keys(state.agents).sort(), ['damo', 'iris']);
    assert.ok(state.approvals[spawn.id], 'the approval is in the attention queue');
    assert.ok(state.operatorInbox.length > 0, 'the newest operator messages are shown');
  } finally {
    client.stop();
    await core.cleanup();
  }
});
