#!/usr/bin/env node
/** `hyperhive`: the scriptable ctl over the core's host socket. Thin shell around `run`. */
import readline from 'node:readline/promises';
import { packageVersion } from '../protocol/command-line.js';
import { wantsColor } from '../protocol/display.js';
import { run } from './run.js';
import type { CliIo } from './cli-io.js';
import { currentActor } from './request.js';

let reader: readline.Interface | undefined;
let lines: AsyncIterator<string> | undefined;
/** The next line of stdin, read lazily (`login` asks for the code only once claude prompts). */
async function readLine(): Promise<string | null> {
  reader ??= readline.createInterface({ input: process.stdin, terminal: false });
  lines ??= reader[Symbol.asyncIterator]();
  const next = await lines.next();
  return next.done ? null : next.value;
}

/** Largest text `-` reads from stdin; the core refuses bodies over 64 KiB anyway. */
const MAX_STDIN_BYTES = 1024 * 1024;

function writeLine(stream: NodeJS.WriteStream, line: string): void {
  stream.write(line + '\n');
}

// A reader that went away (`hyperhive watch | head`) ends the ctl quietly.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const io: CliIo = {
  out: (line) => writeLine(process.stdout, line),
  err: (line) => writeLine(process.stderr, line),
  env: process.env,
  now: () => Date.now(),
  ...(process.stdout.isTTY && process.stdout.columns ? { columns: process.stdout.columns } : {}),
  color: wantsColor(process.env, process.stdout.isTTY === true),
  ...(process.stdin.isTTY && process.stderr.isTTY
    ? {
        ask: async (prompt: string) => {
          const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
          try {
            return (await rl.question(prompt)).trim().toLowerCase() === 'y';
          } finally {
            rl.close();
          }
        },
      }
    : {}),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of process.stdin) {
      size += (chunk as Buffer).length;
      if (size > MAX_STDIN_BYTES) throw new Error(`stdin is larger than ${MAX_STDIN_BYTES / 1024} KiB`);
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  },
  readLine,
  actor: currentActor,
  version: packageVersion,
  interrupted: () =>
    new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    }),
};

run(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
    // A stdin still open for lines would keep the ctl running.
    reader?.close();
    if (reader) process.stdin.destroy();
  },
  (err: Error) => {
    process.stderr.write(`hyperhive: ${err.message}\n`);
    process.exitCode = 2;
  },
);
