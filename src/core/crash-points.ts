/**
 * Named points between the steps of a multi-step action, where a test can
 * have the core die the hardest way (SIGKILL) to prove that a crash there
 * leaves nothing half-done. Armed only by `HYPERHIVE_CRASH_AT=<point>` in the
 * core's environment (tests and the chaos suite set it); otherwise inert.
 */
export type CrashPoint =
  /** An approval's decision is committed; its apply has not started. */
  | 'approval-decided'
  /** A spawned agent's row is committed; its dirs, socket and harness are not there yet. */
  | 'spawn-created'
  /** An approval's apply finished; its outcome is not recorded yet. */
  | 'approval-applied'
  /** An approved config change is checked out in the applied repo; the agent has not been brought up on it. */
  | 'apply-commit-checked-out'
  /** An approved config change is recorded as deployed; its tag and the approval's outcome are not. */
  | 'apply-commit-recorded'
  /** A schedule's slot is posted to its target's inbox; the schedule's next slot and counts are not written yet (one transaction). */
  | 'schedule-delivering';

const armed = process.env.HYPERHIVE_CRASH_AT;

export function crashPoint(point: CrashPoint): void {
  if (armed === point) process.kill(process.pid, 'SIGKILL');
}
