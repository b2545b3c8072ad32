/**
 * Moving through an approval's body: by line, page, file (`]`/`[`) and to
 * either end, over all its rows, loaded or not. When the rows to show are
 * not the loaded page, the view asks the core for the page holding them.
 */
import type { Command } from '../keys/keymap.js';
import { nextFileRow, previousFileRow } from '../approval-body.js';
import { clamp, flash, stay, type ApprovalBox, type Handler, type KeyEnv, type Outcome, type UiState } from './ui-state.js';

/** Rows above the first one shown that a fetched page also holds (scrolling back needs no fetch at once). */
const CONTEXT_ROWS = 100;

/**
 * Scroll to `top`, asking for the page that holds it when it is not loaded.
 * Line and page moves stop with the last row at the bottom; a file jump may
 * go further, so the file it reaches is at the top (rows below the end stay empty).
 */
function scrollTo(ui: UiState, box: ApprovalBox, top: number, toFile = false): Outcome {
  const next = clamp(top, 0, Math.max(0, toFile ? box.total - 1 : box.total - box.rows));
  const last = Math.min(box.total, next + box.rows) - 1;
  const shown = { ...ui, approvalScroll: next };
  const loaded = next >= box.from && last < box.from + box.loaded;
  if (loaded || box.total === 0) return stay(shown);
  return { ui: shown, effects: [{ type: 'fetch_approval', id: box.id, from: Math.max(0, next - CONTEXT_ROWS), ...(ui.approvalAgainst && { against: ui.approvalAgainst }) }] };
}

/** Line, page and end moves in the approval view. */
export function scrollApproval(ui: UiState, env: KeyEnv, command: Command): Outcome {
  const box = env.approvalBox;
  if (!box) return stay(ui);
  const page = Math.max(1, box.rows - 1);
  // After a file jump the top row may be past the usual end: moving up starts from there, moving down stays.
  const at = Math.min(ui.approvalScroll, Math.max(0, box.total - 1));
  const end = Math.max(0, box.total - box.rows);
  switch (command) {
    case 'up':
      return scrollTo(ui, box, at - 1, true);
    case 'page_up':
      return scrollTo(ui, box, at - page, true);
    case 'down':
      return at >= end ? stay(ui) : scrollTo(ui, box, at + 1);
    case 'page_down':
      return at >= end ? stay(ui) : scrollTo(ui, box, at + page);
    case 'top':
      return scrollTo(ui, box, 0);
    case 'bottom':
      return scrollTo(ui, box, box.total);
    default:
      return stay(ui);
  }
}

const byFile =
  (direction: 'next' | 'prev'): Handler =>
  (ui, env) => {
    const box = env.approvalBox;
    if (ui.view !== 'approval' || !box) return stay(ui);
    const files = box.fileRows.map((row) => ({ row }));
    const at = Math.min(ui.approvalScroll, Math.max(0, box.total - 1));
    const target = direction === 'next' ? nextFileRow(files, at) : previousFileRow(files, at);
    if (target === undefined) return flash(ui, direction === 'next' ? 'this is the last file' : 'this is the first file', 'info');
    return scrollTo(ui, box, target, true);
  };

/** `b`: a config change whose base moved, diffed against what its agent runs now; again, as requested. */
const rebaseDiff: Handler = (ui, env) => {
  const a = env.approval;
  if (ui.view !== 'approval' || a?.kind !== 'apply_commit') return flash(ui, 'only a config change has a deployed commit to compare with', 'info');
  if (ui.approvalAgainst === 'deployed') return { ui: { ...ui, approvalAgainst: undefined, approvalScroll: 0 }, effects: [{ type: 'fetch_approval', id: a.id }] };
  if (!a.base_moved) return flash(ui, `${a.agent} still runs the commit this diff was made against`, 'info');
  return { ui: { ...ui, approvalAgainst: 'deployed', approvalScroll: 0 }, effects: [{ type: 'fetch_approval', id: a.id, against: 'deployed' }] };
};

/** The approval view's own commands. */
export const APPROVAL_COMMANDS = {
  next_file: byFile('next'),
  prev_file: byFile('prev'),
  rebase_diff: rebaseDiff,
} satisfies Partial<Record<Command, Handler>>;
