/**
 * Search results as operators read them: by agent, then by turn, each turn
 * with its hits in stream order. Agents and turns come newest hit first.
 * Pages merge: grouping the hits of several pages together gives one group
 * per turn. Zod-free, for the console and the ctl alike.
 */

/** The fields of a `search` hit this needs. */
export interface GroupableHit {
  seq: number;
  agent: string;
  turn: number | null;
}

/** The fields of a `search` turn this needs. */
export interface GroupableTurn {
  seq: number;
  agent: string;
}

/** One turn's hits (`turn` null: hits older than the agent's oldest stored turn start). */
export interface TurnGroup<H, T> {
  turn: T | null;
  hits: H[];
}

/** One agent's turns. */
export interface AgentGroup<H, T> {
  agent: string;
  hits: number;
  turns: TurnGroup<H, T>[];
}

/** Group `hits` (newest first, from one or more pages) by agent and turn. */
export function groupSearchHits<H extends GroupableHit, T extends GroupableTurn>(hits: readonly H[], turns: readonly T[]): AgentGroup<H, T>[] {
  const turnBySeq = new Map(turns.map((t) => [t.seq, t]));
  const agents = new Map<string, AgentGroup<H, T>>();
  const groups = new Map<string, TurnGroup<H, T>>();
  const newestFirst = [...hits].sort((a, b) => b.seq - a.seq);
  for (const hit of newestFirst) {
    let agent = agents.get(hit.agent);
    if (!agent) agents.set(hit.agent, (agent = { agent: hit.agent, hits: 0, turns: [] }));
    const key = `${hit.agent}\u0000${hit.turn ?? ''}`;
    let group = groups.get(key);
    if (!group) {
      group = { turn: hit.turn === null ? null : (turnBySeq.get(hit.turn) ?? null), hits: [] };
      groups.set(key, group);
      agent.turns.push(group);
    }
    group.hits.push(hit);
    agent.hits++;
  }
  for (const agent of agents.values()) for (const group of agent.turns) group.hits.reverse();
  return [...agents.values()];
}
