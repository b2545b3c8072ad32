/** The hyperhive-agent command line, shared by the backends that start harnesses. */
import type { AgentConfig } from '../../protocol/index.js';

/** Where the harness finds its socket and state, as seen from where it runs. */
export interface HarnessPaths {
  /** The hyperhive-agent entry script node runs. */
  entry: string;
  socket: string;
  stateDir: string;
  /** The approved `CLAUDE.md` the harness places in the agent's work dir (absent when the agent has no applied repo). */
  instructions?: string;
}

/** Where an agent's JSONL run record goes when its config turns it on (`run_record`), under its state dir. */
export const RUN_RECORD_FILE = 'run-record.jsonl';

/** Arguments after `node` for `hyperhive-agent run`. */
export function harnessArgs(name: string, config: AgentConfig, paths: HarnessPaths, manager: boolean): string[] {
  const args = [
    paths.entry, 'run',
    '--name', name,
    '--socket', paths.socket,
    '--state-dir', paths.stateDir,
    '--model', config.model,
    '--command', JSON.stringify(config.command),
  ];
  if (manager) args.push('--manager');
  if (Object.keys(config.extra_mcp_servers).length > 0) args.push('--extra-mcp-servers', JSON.stringify(config.extra_mcp_servers));
  if (paths.instructions) args.push('--instructions', paths.instructions);
  if (config.run_record) args.push('--jsonl', `${paths.stateDir}/${RUN_RECORD_FILE}`);
  return args;
}
