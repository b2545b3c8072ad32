/**
 * The `nixos-container` command line for the nixos-container backend: one
 * action at a time with its configured deadline, and a sentence for a person
 * when it fails, hangs or answers something unexpected.
 */
import type { NixosContainerConfig } from '../../protocol/index.js';
import { lastLines, runBounded } from './bounded-command.js';

export type ContainerState = 'up' | 'down' | 'gone';
type Action = 'create' | 'update' | 'start' | 'stop' | 'destroy' | 'status';

export class NixosContainerCommand {
  constructor(private readonly settings: NixosContainerConfig) {}

  /** `nixos-container status`: up, down or gone; rejects on anything else. */
  async state(cname: string): Promise<ContainerState> {
    const outcome = await runBounded(this.settings.command, ['status', cname], { timeoutMs: this.settings.timeouts.status_seconds * 1000 });
    if (outcome.kind === 'exited') {
      const word = outcome.stdout.trim().split('\n')[0];
      if (word === 'up' || word === 'down' || word === 'gone') return word;
    }
    throw new Error(this.failure('status', cname, outcome));
  }

  /** Run one `nixos-container` action; rejects with a sentence when it fails or hangs. */
  async run(action: Exclude<Action, 'status'>, args: string[]): Promise<void> {
    const outcome = await runBounded(this.settings.command, [action, ...args], { timeoutMs: this.settings.timeouts[`${action}_seconds`] * 1000 });
    if (outcome.kind === 'exited' && outcome.code === 0) return;
    throw new Error(this.failure(action, args[0]!, outcome));
  }

  /** `create`/`update` arguments after the container name. */
  configArgs(nixFile: string): string[] {
    return ['--config-file', nixFile, ...(this.settings.nixos_path ? ['--nixos-path', this.settings.nixos_path] : [])];
  }

  private failure(action: Action, cname: string, outcome: Awaited<ReturnType<typeof runBounded>>): string {
    const what = `nixos-container ${action} ${cname}`;
    switch (outcome.kind) {
      case 'not-started':
        return `cannot run ${what}: ${outcome.error} (install nixos-container, or set nixos_container.command in the hive config)`;
      case 'timed-out':
        return `${what} did not finish within ${this.settings.timeouts[`${action}_seconds`]} s and was stopped${action === 'create' ? '' : `; ${cname} was left as it was`} (raise nixos_container.timeouts.${action}_seconds if it is only slow)`;
      case 'exited': {
        const how = outcome.signal ? `killed by ${outcome.signal}` : `exit code ${outcome.code}`;
        const said = lastLines(outcome.stderr) || lastLines(outcome.stdout);
        return action === 'status' && outcome.code === 0
          ? `${what} answered ${JSON.stringify(lastLines(outcome.stdout))}, not up, down or gone`
          : `${what} failed (${how})${said ? `: ${said}` : ''}`;
      }
    }
  }
}
