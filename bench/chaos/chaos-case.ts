/**
 * What every chaos case module keeps to: it exports `chaosCase`, whose `run`
 * is bounded in time, uses local sockets only, and reports whether its
 * invariants held and the figures it measured. `run.ts` runs every case
 * module in this folder and prints one table.
 */

/** One case's outcome: its invariants held (`ok`) or `failures` say which broke; `figures` are what it measured. */
export interface ChaosReport {
  name: string;
  ok: boolean;
  figures: Record<string, string | number>;
  failures: string[];
}

export interface ChaosCase {
  /** Short, unique; `--only NAME` picks it. */
  name: string;
  /** One line on what it does to the hive. */
  about: string;
  /** Run once; `seed` makes its random choices repeatable. Reads its own `--flags` (see `intFlag`). */
  run(seed: number): Promise<ChaosReport>;
}

/** Integer value of `--name N` on the command line, or `fallback`. */
export function intFlag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} takes a non-negative integer`);
  return value;
}

export { seededRandom } from '../../src/testing/seeded-random.js';

/** The reports as one table: case, result, seconds, figures; then each failure. */
export function formatTable(rows: { report: ChaosReport; seconds: number }[]): string {
  const lines = rows.map(({ report, seconds }) => [
    report.name,
    report.ok ? 'ok' : 'FAILED',
    `${seconds.toFixed(0)} s`,
    Object.entries(report.figures).map(([k, v]) => `${k}=${v}`).join('  '),
  ]);
  const header = ['case', 'result', 'time', 'figures'];
  const widths = header.map((h, col) => Math.max(h.length, ...lines.map((l) => l[col]!.length)));
  const format = (cells: string[]) => cells.map((c, col) => (col === cells.length - 1 ? c : c.padEnd(widths[col]!))).join('  ');
  const out = [format(header), format(widths.map((w) => '-'.repeat(w))), ...lines.map(format)];
  for (const { report } of rows) for (const failure of report.failures) out.push(`! ${report.name}: ${failure}`);
  return out.join('\n');
}
