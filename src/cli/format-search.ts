/** Human output of `hyperhive search`: hits grouped by agent and turn, each line naming the event's seq. Pure. */
import { groupSearchHits } from '../protocol/search-groups.js';
import type { SearchHit, SearchTurn } from '../protocol/search.js';
import { age, cell, truncate } from './format.js';

const SOURCE_LABEL: Record<string, string> = {
  turn_start: 'message',
  text: 'text',
  thinking: 'thinking',
  tool_use: 'tool call',
  tool_result: 'tool result',
  note: 'note',
  turn_end: 'turn end',
};

/** `search`: one block per agent, one line per turn (who woke it, when, with what), its hits indented under it. */
export function renderSearch(hits: readonly SearchHit[], turns: readonly SearchTurn[], nowSeconds: number, width?: number): string[] {
  if (hits.length === 0) return ['no events match'];
  const fit = (line: string) => (width !== undefined && width > 20 ? truncate(line, width) : line);
  const lines: string[] = [];
  for (const agent of groupSearchHits(hits, turns)) {
    lines.push(`${cell(agent.agent)} — ${agent.hits} hit${agent.hits === 1 ? '' : 's'}`);
    for (const group of agent.turns) {
      const turn = group.turn;
      lines.push(
        fit(
          turn
            ? `  turn #${turn.seq}, ${age(turn.ts_ms / 1000, nowSeconds)} ago, from ${cell(turn.from)}: ${cell(turn.body)}`
            : '  before its oldest stored turn',
        ),
      );
      for (const hit of group.hits) {
        lines.push(fit(`    #${hit.seq}  ${(SOURCE_LABEL[hit.source] ?? cell(hit.source)).padEnd(11)}  ${cell(hit.snippet)}`));
      }
    }
  }
  return lines;
}
