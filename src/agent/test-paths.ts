/** Paths the agent's tests share (resolved from the compiled file under dist/). */
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** fixtures/transcripts */
export const TRANSCRIPTS = path.join(REPO_ROOT, 'fixtures', 'transcripts');
/** fixtures/fake-claude.mjs */
export const FAKE_CLAUDE = path.join(REPO_ROOT, 'fixtures', 'fake-claude.mjs');
/** The compiled hyperhive-agent entry. */
export const AGENT_MAIN = path.join(REPO_ROOT, 'dist', 'src', 'agent', 'main.js');
