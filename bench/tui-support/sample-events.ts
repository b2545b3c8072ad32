/** Realistic live events for the console benchmarks. */

/**
 * The n-th event of a turn-shaped cycle of 20, as a harness emits them: turn start, thinking, text, tool
 * calls and results, result, turn end. With `rowChanges`, three of them are the turn state (thinking,
 * then idle) and the context's token usage instead, which change the agent's roster row as real turns do.
 */
export function sampleEvent(n: number, rowChanges = false): Record<string, unknown> {
  const i = n % 20;
  const id = `tu_${n}`;
  if (i === 0) return { kind: 'turn_start', from: 'manager', body: `Please look at item ${n}`, unread: 0 };
  if (rowChanges) {
    const now = Math.floor(Date.now() / 1000);
    if (i === 2) return { kind: 'turn_state_changed', state: 'thinking', since_unix: now };
    if (i === 16) return { kind: 'token_usage_changed', usage: { input_tokens: 1200, output_tokens: 300, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, context_tokens: 20_000 + (n % 5000) } };
    if (i === 17) return { kind: 'turn_state_changed', state: 'idle', since_unix: now };
  }
  if (i === 1) return { kind: 'stream', data: { type: 'assistant', message: { content: [{ type: 'thinking', thinking: `Thinking about item ${n}: the operator wants a summary, so read the file first.` }] } } };
  if (i === 19) return { kind: 'turn_end', ok: true };
  if (i === 18) return { kind: 'stream', data: { type: 'result', subtype: 'success', is_error: false, total_cost_usd: 0.0123, duration_ms: 4200, num_turns: 4, usage: { input_tokens: 1200, output_tokens: 300 } } };
  if (i % 3 === 0) return { kind: 'stream', data: { type: 'assistant', message: { content: [{ type: 'tool_use', id, name: i % 2 ? 'Read' : 'Bash', input: { file_path: `src/file-${n}.ts`, command: `npm test -- ${n}` } }] } } };
  if (i % 3 === 1) return { kind: 'stream', data: { type: 'user', message: { content: [{ type: 'tool_result', tool_use_id: `tu_${n - 1}`, content: 'ok' }] } } };
  return { kind: 'stream', data: { type: 'assistant', message: { content: [{ type: 'text', text: `Step ${n}: the build passes and the file has ${n % 97} lines; moving on to the next part of the task.` }] } } };
}

