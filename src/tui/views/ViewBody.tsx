/**
 * The body between header and status line: which view shows for the view
 * the operator is on, the modal open (an answer form, a pick list) and,
 * on the approval view, the approval's kind.
 */
import type { ComponentProps } from 'react';
import type { Approval, KeptAgent, OperatorMessage, Schedule, TurnStat } from '../../protocol/index.js';
import type { AttentionItem } from '../client/attention-queue.js';
import type { HiveState } from '../client/hive-state.js';
import type { Hint } from '../keys/hints.js';
import type { RosterEntry } from '../roster.js';
import type { AgentTotals } from '../stats.js';
import type { Theme } from '../theme/theme.js';
import type { UiState } from '../ui/ui-state.js';
import { AgentsView } from './AgentsView.js';
import { AnswerForm } from './AnswerForm.js';
import { ApprovalView } from './ApprovalView.js';
import { AttentionView } from './AttentionView.js';
import type { StreamContext } from './ContextLines.js';
import { HelpView } from './HelpView.js';
import { InboxView } from './InboxView.js';
import { PickList } from './PickList.js';
import { ReportView } from './ReportView.js';
import { RulesView } from './RulesView.js';
import { SchedulesView } from './SchedulesView.js';
import { StatsView } from './StatsView.js';
import { StreamView } from './StreamView.js';
import { ToolApprovalView } from './ToolApprovalView.js';

export interface ViewBodyProps {
  ui: UiState;
  /** The UI state with its cursors kept on their rows while rows arrive above them. */
  shownUi: UiState;
  state: HiveState;
  roster: RosterEntry[];
  /** Kept agents as the roster's filter leaves them. */
  kept: readonly KeptAgent[];
  /** Actions are hidden (read-only, or over HTTP where only decisions are offered). */
  actionsHidden: boolean;
  queue: AttentionItem[];
  attention: AttentionItem[];
  inbox: OperatorMessage[];
  stats: TurnStat[];
  totals: AgentTotals[];
  spend: ComponentProps<typeof StatsView>['spend'];
  schedules: Schedule[];
  scheduleCount: number;
  approval: Approval | undefined;
  models: readonly string[];
  /** The asking agent's last stream lines, beside a question or approval. */
  contextLines: StreamContext | undefined;
  /** The keys of the selected item. */
  hints: Hint[];
  helpFor: ComponentProps<typeof HelpView>['context'];
  width: number;
  height: number;
  nowMs: number;
  tick: number;
  maxPanes: number;
  live: boolean;
  theme: Theme;
}

/** The view for what the operator looks at now. */
export function ViewBody(p: ViewBodyProps) {
  const { ui, shownUi, state, width, height, nowMs, theme } = p;
  const modal = ui.modal;
  if (modal?.kind === 'answer') {
    const answering = p.queue.find((a) => a.kind === 'question' && a.id === modal.questionId);
    if (answering?.kind === 'question') {
      return <AnswerForm question={answering.question} cursor={modal.cursor} picked={modal.picked} typing={modal.typing} text={modal.text} context={p.contextLines} width={width} height={height} theme={theme} />;
    }
  } else if (modal?.kind === 'pick') {
    return <PickList modal={modal} patterns={p.models} height={height} theme={theme} />;
  }
  switch (ui.view) {
    case 'agents':
      return (
        <AgentsView
          entries={p.roster}
          total={Object.keys(state.agents).length}
          transients={state.transients}
          cursor={shownUi.cursor.agents}
          marked={ui.marks.agents}
          sort={ui.rosterSort}
          filter={ui.filters.agents}
          height={height}
          width={width}
          nowMs={nowMs}
          tick={p.tick}
          tiled={ui.tiled}
          stale={!p.live && state.hasData}
          kept={p.kept}
          keptTotal={state.kept.length}
          actionsHidden={p.actionsHidden}
          theme={theme}
        />
      );
    case 'stream':
      return <StreamView agents={ui.streamAgents} streams={state.streams} scroll={ui.scroll} focusPane={ui.focusPane} paneStart={ui.paneStart} width={width} height={height} maxPanes={p.maxPanes} theme={theme} />;
    case 'attention':
      return <AttentionView items={p.attention} total={p.queue.length} cursor={shownUi.cursor.attention} marked={ui.marks.attention} filter={ui.filters.attention} hints={p.hints} context={p.contextLines} height={height} width={width} nowMs={nowMs} theme={theme} />;
    case 'inbox':
      return <InboxView messages={p.inbox} total={state.operatorInbox.length} cursor={shownUi.cursor.inbox} filter={ui.filters.inbox} hints={p.hints} height={height} width={width} nowMs={nowMs} theme={theme} />;
    case 'approval': {
      const { approval } = p;
      const loading = ui.approvalId !== undefined && !state.approvalDetails[ui.approvalId];
      // Each kind of approval has its own view; a tool call shows beside its agent's stream.
      return approval?.kind === 'tool_permission' ? (
        <ToolApprovalView approval={approval} loading={loading} scroll={ui.approvalScroll} hints={p.hints} stream={state.streams[approval.agent]} known={approval.agent in state.agents} width={width} height={height} nowMs={nowMs} theme={theme} />
      ) : (
        <ApprovalView approval={approval} loading={loading} scroll={ui.approvalScroll} against={ui.approvalAgainst} hints={p.hints} height={height} nowMs={nowMs} theme={theme} />
      );
    }
    case 'rules':
      return <RulesView rules={state.rules} {...(state.rulesError !== undefined && { error: state.rulesError })} cursor={ui.rulesCursor ?? 0} height={height} width={width} nowMs={nowMs} theme={theme} />;
    case 'stats':
      return <StatsView rows={p.stats} total={state.turnStats.length} totals={p.totals} spend={p.spend} view={ui.stats} filter={ui.filters.stats} cursor={shownUi.cursor.stats} height={height} width={width} theme={theme} />;
    case 'search':
    case 'recap':
    case 'traffic':
      return <ReportView name={ui.view} report={ui.reports[ui.view]} cursor={ui.reportCursor[ui.view]} height={height} theme={theme} />;
    case 'schedules':
      return <SchedulesView schedules={p.schedules} total={p.scheduleCount} cursor={shownUi.cursor.schedules} filter={ui.filters.schedules} hints={p.hints} height={height} width={width} nowMs={nowMs} theme={theme} />;
    case 'help':
      return <HelpView context={p.helpFor} scroll={ui.helpScroll} height={height} width={width} theme={theme} />;
  }
  return null;
}
