/** The operator verbs of spend, budgets and claude logins: `cost`, `set_budget`, `login`, `login_code`, `login_cancel`, `login_status`. */
import type { Hive } from '../hive.js';
import { answer } from './answers.js';
import { errorResponse, okResponse, type HostRequest } from '../../protocol/index.js';

export type HoldRequest = Extract<HostRequest, { cmd: 'cost' | 'set_budget' | 'login' | 'login_code' | 'login_cancel' | 'login_status' }>;

const HOLD_CMDS: ReadonlySet<string> = new Set<HoldRequest['cmd']>(['cost', 'set_budget', 'login', 'login_code', 'login_cancel', 'login_status']);

/** True for the verbs this file answers. */
export function isHoldRequest(req: HostRequest): req is HoldRequest {
  return HOLD_CMDS.has(req.cmd);
}

export function handleHoldRequest(hive: Hive, req: HoldRequest): object {
  if (req.cmd === 'cost') return okResponse(hive.holds.costReport());
  if (req.cmd === 'set_budget') {
    if (req.daily_usd === undefined && req.per_turn_usd === undefined) {
      return errorResponse('set_budget changes nothing without daily_usd or per_turn_usd (a number of USD, or null to lift the limit)', 'bad_request');
    }
    if (req.agent !== undefined) {
      const problem = hive.agents.check(req.agent);
      if (problem) return errorResponse(problem.error, problem.code);
    }
    const change = {
      ...(req.daily_usd !== undefined && { daily: req.daily_usd }),
      ...(req.per_turn_usd !== undefined && { perTurn: req.per_turn_usd }),
    };
    const spend = hive.holds.setBudget(req.agent === undefined ? { hive: true } : { agent: req.agent }, change, req.actor);
    return okResponse({ spend });
  }
  const problem = hive.agents.check(req.name);
  if (problem) return errorResponse(problem.error, problem.code);
  switch (req.cmd) {
    case 'login':
      return answer(hive.logins.start(req.name, req.actor), (login: object) => ({ login }));
    case 'login_code':
      return answer(hive.logins.sendCode(req.name, req.code, req.actor));
    case 'login_cancel':
      return answer(hive.logins.cancel(req.name, req.actor));
    case 'login_status':
      return okResponse({ login: hive.logins.status(req.name) ?? null });
  }
}
