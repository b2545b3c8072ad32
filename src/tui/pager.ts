/** Showing text in the operator's pager (`$PAGER`, else `less -R`) while the console lends it the terminal. */
import { spawnSync } from 'node:child_process';

/** The pager command line: `$PAGER`, else `less -R` (colours kept). */
export function pagerCommand(env: NodeJS.ProcessEnv): string {
  return env.PAGER?.trim() || 'less -R';
}

/** Run the pager on `text` (its stdin) and wait for it; a sentence when it could not run. */
export function runPager(text: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const command = pagerCommand(env);
  // Through the shell, as git and man do, so `PAGER="less -RS"` works.
  const result = spawnSync('/bin/sh', ['-c', command], { input: text, stdio: ['pipe', 'inherit', 'inherit'], env });
  if (result.error) return `cannot run the pager "${command}": ${result.error.message}`;
  if (result.status === 127) return `cannot run the pager "${command}": not found (set $PAGER)`;
  return undefined;
}
