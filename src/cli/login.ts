/**
 * `hyperhive login AGENT`: claude's login for one agent, run by the core in a
 * pseudo-terminal it owns. The ctl starts it, prints the sign-in address and
 * claude's prompt, sends the code read from stdin (or `--code`) and waits for
 * claude's verdict; a code claude does not take is asked for again.
 */
import type { LoginSession } from '../protocol/spend.js';
import { cell, terminalSafeJson } from './format.js';

/** How often the ctl asks where the login stands. */
const POLL_MS = 200;
/** How long it waits for claude to print its address, or to judge a code. */
const STEP_TIMEOUT_MS = 60_000;

export interface LoginIo {
  out(line: string): void;
  err(line: string): void;
  /** The next line the operator types (null at the end of input). */
  readLine(): Promise<string | null>;
  actor(): string;
}

type Exchange = (request: object) => Promise<Record<string, unknown>>;

/** Run the login; resolves with the exit code (0 logged in, 1 not). */
export async function runLogin(send: Exchange, agent: string, code: string | undefined, json: boolean, io: LoginIo): Promise<number> {
  const started = await send({ cmd: 'login', name: agent, actor: io.actor() });
  if (started.ok !== true) return refusedWith(started, json, io);
  let session = await until(send, agent, (s) => s.state !== 'starting');
  if (session.url) io.err(`Sign in to claude for ${agent} at:\n  ${cell(session.url)}`);
  let given = code;
  for (;;) {
    if (session.state !== 'waiting_for_code') return ended(session, json, io);
    // After a code: why claude asks again.
    if (session.message) io.err(cell(session.message));
    let pasted: string;
    if (given !== undefined) {
      pasted = given;
      given = undefined;
    } else if (code !== undefined) {
      await send({ cmd: 'login_cancel', name: agent, actor: io.actor() });
      return ended({ ...session, state: 'failed', message: `claude did not take the code given with --code${session.message ? `: ${session.message}` : ''}` }, json, io);
    } else {
      io.err(`${cell(session.prompt ?? 'Paste the code here >')} `);
      const line = await io.readLine();
      if (line === null || line.trim() === '') {
        await send({ cmd: 'login_cancel', name: agent, actor: io.actor() });
        io.err('hyperhive: no code given; the login is cancelled');
        return 1;
      }
      pasted = line.trim();
    }
    const sent = await send({ cmd: 'login_code', name: agent, code: pasted, actor: io.actor() });
    if (sent.ok !== true) return refusedWith(sent, json, io);
    session = await until(send, agent, (s) => s.state !== 'checking');
  }
}

/** Ask until `done` holds for the agent's login (or the wait runs out). */
async function until(send: Exchange, agent: string, done: (s: LoginSession) => boolean): Promise<LoginSession> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    const answer = await send({ cmd: 'login_status', name: agent });
    const session = answer.login as LoginSession | null;
    if (!session) throw new Error(`the core has no login of ${agent}`);
    if (done(session)) return session;
    if (Date.now() > deadline) throw new Error(`the login of ${agent} did not move on within ${STEP_TIMEOUT_MS / 1000} s (it is ${session.state})`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function ended(session: LoginSession, json: boolean, io: LoginIo): number {
  if (json) io.out(terminalSafeJson({ login: session }));
  if (session.state === 'succeeded') {
    if (!json) io.out(`logged in: ${cell(session.agent)} (${cell(session.message ?? 'done')})`);
    return 0;
  }
  io.err(`hyperhive: the login of ${cell(session.agent)} ${session.state === 'cancelled' ? 'was cancelled' : 'failed'}: ${cell(session.message ?? session.state)}`);
  return 1;
}

function refusedWith(response: Record<string, unknown>, json: boolean, io: LoginIo): number {
  if (json) io.out(terminalSafeJson(response));
  io.err(`hyperhive: ${cell(typeof response.error === 'string' ? response.error : 'the core refused the login')}`);
  return 1;
}
