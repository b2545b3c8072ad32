/**
 * `npm run chaos`: every chaos case in this folder (each module exporting
 * `chaosCase`), one after another, then one table of their figures. Not part
 * of `npm test`. Exit 1 when any case's invariants broke.
 *
 * Run: node dist/bench/chaos/run.js [--only NAME[,NAME…]] [--seed N] [each case's own flags]
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatTable, intFlag, type ChaosCase, type ChaosReport } from './chaos-case.js';

const here = path.dirname(fileURLToPath(import.meta.url));

async function discover(): Promise<ChaosCase[]> {
  const cases: ChaosCase[] = [];
  const self = path.basename(fileURLToPath(import.meta.url));
  for (const file of fs.readdirSync(here).filter((f) => f.endsWith('.js') && f !== self && !f.endsWith('.test.js')).sort()) {
    const module = (await import(pathToFileURL(path.join(here, file)).href)) as { chaosCase?: ChaosCase };
    if (module.chaosCase) cases.push(module.chaosCase);
  }
  return cases;
}

async function main(): Promise<number> {
  const onlyAt = process.argv.indexOf('--only');
  const only = onlyAt === -1 ? null : new Set((process.argv[onlyAt + 1] ?? '').split(','));
  const seed = intFlag('seed', Date.now() % 1_000_000);
  const all = await discover();
  const unknown = only ? [...only].filter((name) => !all.some((c) => c.name === name)) : [];
  if (unknown.length > 0) {
    console.error(`no chaos case named ${unknown.join(', ')}; there are: ${all.map((c) => c.name).join(', ')}`);
    return 2;
  }
  const cases = all.filter((c) => !only || only.has(c.name));
  console.log(`chaos: ${cases.length} case(s), seed ${seed}`);
  const rows: { report: ChaosReport; seconds: number }[] = [];
  for (const chaos of cases) {
    console.log(`\n== ${chaos.name}: ${chaos.about}`);
    const started = Date.now();
    let report: ChaosReport;
    try {
      report = await chaos.run(seed);
    } catch (err) {
      report = { name: chaos.name, ok: false, figures: {}, failures: [`the case itself failed: ${(err as Error).stack ?? String(err)}`] };
    }
    rows.push({ report, seconds: (Date.now() - started) / 1000 });
  }
  console.log(`\n${formatTable(rows)}`);
  return rows.every((r) => r.report.ok) ? 0 : 1;
}

process.exit(await main());
