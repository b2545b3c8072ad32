/** For the console's end-to-end tests: the demo hive's config with fake claude found from a temp dir, and what the `hyperhive-tui` bin runs. */
import fs from 'node:fs';
import path from 'node:path';
import { entries, repoRoot } from '../../testing/hive.js';

/** The bundle when it is built (what the bin runs); tsc's output otherwise. */
export const tuiEntry = (() => {
  const bundle = path.join(repoRoot, 'dist', 'bundle', 'hyperhive-tui.mjs');
  return fs.existsSync(bundle) ? bundle : entries.tui;
})();

/** The demo hive (process backend, fake claude), no HTTP, its agents pointed at the fixtures by absolute path. */
export function demoConfig(): Record<string, unknown> {
  const cfg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'fixtures', 'demo-hive.json'), 'utf8')) as Record<string, any>;
  const fake = path.join(repoRoot, 'fixtures', 'fake-claude.mjs');
  cfg.http = { listen: 'off' };
  for (const agent of [cfg.agent_template, ...Object.values(cfg.agents ?? {})]) if (agent?.command) agent.command = ['node', fake];
  return cfg;
}
