/** Test support: an agent flooding the operator inbox, as in the hardening issue (300 messages of 60 KiB). */
import { JsonlConnection } from '../protocol/index.js';
import type { RunningCore } from './hive.js';

/** `agent` sends `count` messages of `bytes` each to the operator; resolves once all were taken. */
export async function floodOperator(core: RunningCore, agent: string, count = 300, bytes = 60 * 1024): Promise<void> {
  const conn = await JsonlConnection.connect(core.agentSocket(agent));
  try {
    for (let i = 0; i < count; i++) {
      const res = await conn.request({ cmd: 'send', to: 'operator', body: `${i} `.padEnd(bytes, 'x') });
      if (res.ok !== true) throw new Error(`flood message ${i} refused: ${String(res.error)}`);
    }
  } finally {
    conn.close();
  }
}
