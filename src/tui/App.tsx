/**
 * The container: turns the hive state and the UI state into view props, owns
 * the one keyboard handler, and runs the effects `handleKey` asks for. Views
 * below it are presentational.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useHiveView } from './use-hive-view.js';
import { Box, useStdin, useStdout } from 'ink';
import { DEFAULT_MODELS } from '../protocol/light.js';
import type { HostRequest } from '../protocol/index.js';
import { attentionQueue, needsByAgent } from './client/attention-queue.js';
import { footerHints, itemHints } from './keys/hints.js';
import { wrapWords } from './format.js';
import { rosterEntries } from './roster.js';
import { statsRows, totalsByAgent } from './stats.js';
import { handleKey } from './ui/dispatch.js';
import { keyContextOf } from './ui/key-context.js';
import { followSelection } from './ui/selection.js';
import { initialUiState, type Effect, type KeyEnv, type UiState } from './ui/ui-state.js';
import { shownPanes } from './ui/stream-scroll.js';
import { contextAgent, filterAttention, filterInbox, filterKept, filterStats, headerFacts, streamContext, watchedAgents } from './view-model.js';
import type { ContextSwitch, HiveSource, TerminalControl } from './hive-source.js';
import type { Theme } from './theme/theme.js';
import { readKeys } from './terminal/key-reader.js';
import type { KeyEvent } from './terminal/key-splitter.js';
import { FAST_TICK_MS, clockPeriodMs, dataNowMs, useClock } from './clock.js';
import { Header, reasonRows } from './components/Header.js';
import { Footer } from './components/Footer.js';
import { LOGIN_STATUS_ROWS, StatusLine } from './components/StatusLine.js';
import { paneWidthFor } from './views/StreamView.js';
import { approvalLayout } from './views/ApprovalView.js';
import { filterSchedules, scheduleList } from './schedules.js';
import { helpLines } from './views/HelpView.js';
import { useReports } from './use-reports.js';
import { toolCallRows } from './views/ToolApprovalView.js';
import { toolCallBody } from './tool-call.js';
import { useEffectRunner } from './use-effect-runner.js';
import { ViewBody } from './views/ViewBody.js';

/** How often the rules view is read again while shown (hits and last use change without events). */
const RULES_REFRESH_MS = 2000;

export interface AppProps {
  hive: HiveSource;
  /** Other hives to switch to with `:ctx` (absent: this console knows one). */
  contexts?: ContextSwitch;
  theme: Theme;
  bell: boolean;
  /** Fixed size (tests); otherwise the terminal's, following resizes. */
  size?: { columns: number; rows: number };
  /** Starting UI state (tests). */
  initialUi?: UiState;
  /** The terminal, to hand it to a pager for a while (absent in tests that do not page). */
  terminal?: TerminalControl;
  /** q asks this before quitting (the demo's console: quitting stops the demo hive). */
  quitAsks?: string;
  /** Writes a clipboard escape sequence to the terminal (absent: `y` says it cannot copy). */
  copyToClipboard?: (sequence: string) => void;
  /** The environment the pager and the clipboard advice read (default: the process's). */
  env?: NodeJS.ProcessEnv;
  /** Show the recap since the operator's last look on attach, and mark their looks (the real console; tests of other things leave it off). */
  recapOnAttach?: boolean;
}

function useTerminalSize(fixed?: { columns: number; rows: number }): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => fixed ?? { columns: stdout.columns || 80, rows: stdout.rows || 24 };
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (fixed) return;
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, fixed]);
  return size;
}

/** How many stream panes fit side by side: each at least 59 columns, one between them (two at 120, three at 180). */
export function panesFor(columns: number): number {
  return Math.max(1, Math.min(4, Math.floor((columns + 1) / 60)));
}

/** The operator console. */
export function App({ hive, contexts, theme, bell, size: fixedSize, initialUi, terminal, quitAsks, copyToClipboard, env: processEnv = process.env, recapOnAttach = false }: AppProps) {
  const { stdout } = useStdout();
  const [ui, setUi] = useState<UiState>(() => initialUi ?? initialUiState());
  const uiRef = useRef(ui);
  const size = useTerminalSize(fixedSize);
  const height = Math.max(8, size.rows);
  const width = Math.max(20, size.columns);
  const maxPanes = panesFor(width);
  const [watched, setWatched] = useState<string[]>([]);
  const state = useHiveView(hive, ui.view, watched);
  const live = state.connection.phase === 'live';
  const readOnly = state.connection.readOnly;
  const decisionsOnly = state.connection.decisionsOnly === true;
  // The clock ticks only while something on screen moves with time; the data's times stand still while not live.
  const wallMs = useClock(clockPeriodMs(ui.view, state));
  const nowMs = dataNowMs(wallMs, state.connection);
  const tick = Math.floor(nowMs / FAST_TICK_MS);

  const queue = useMemo(() => attentionQueue(state), [state.approvals, state.questions, state.operatorInbox, state.agents, state.spend]);
  const needs = useMemo(() => needsByAgent(queue), [queue]);
  const roster = useMemo(
    () => rosterEntries(Object.values(state.agents), needs, ui.rosterSort, ui.filters.agents, state.resources),
    [state.agents, needs, ui.rosterSort, ui.filters.agents, state.resources],
  );
  const kept = useMemo(() => filterKept(state.kept, ui.filters.agents), [state.kept, ui.filters.agents]);
  const allSchedules = useMemo(() => scheduleList(state.schedules), [state.schedules]);
  const schedules = useMemo(() => filterSchedules(allSchedules, ui.filters.schedules), [allSchedules, ui.filters.schedules]);
  const attention = useMemo(() => filterAttention(queue, ui.filters.attention), [queue, ui.filters.attention]);
  const inbox = useMemo(() => filterInbox(state.operatorInbox, ui.filters.inbox), [state.operatorInbox, ui.filters.inbox]);
  const sortedStats = useMemo(() => statsRows(state.turnStats, ui.stats), [state.turnStats, ui.stats]);
  const stats = useMemo(() => filterStats(sortedStats, ui.filters.stats), [sortedStats, ui.filters.stats]);
  const totals = useMemo(() => totalsByAgent(ui.stats.agent || ui.filters.stats ? stats : state.turnStats), [state.turnStats, stats, ui.stats.agent, ui.filters.stats]);
  const spendByAgent = useMemo(() => Object.fromEntries(Object.values(state.agents).map((r) => [r.name, r.spend])), [state.agents]);
  const statsAgents = useMemo(() => [...new Set(state.turnStats.map((t) => t.agent))].sort(), [state.turnStats]);
  const approval = ui.approvalId !== undefined ? (state.approvalDetails[ui.approvalId] ?? state.approvals[ui.approvalId]) : undefined;
  const models = state.hive?.models ?? DEFAULT_MODELS;
  const notLiveReason = live ? '' : state.connection.phase === 'incompatible' ? 'the core is incompatible' : `not connected (${state.connection.phase})`;

  const headerRows = 1 + reasonRows(state.connection, nowMs, width).length;
  // A message takes up to two rows; the rule form keeps its line and shows why a rule did not parse under it.
  // While a login's code is typed, the rows above the input show claude's address and its last words.
  const loginAgent = ui.modal?.kind === 'input' && ui.modal.purpose === 'argument' && ui.modal.call.command === 'login' ? String(ui.modal.call.target) : undefined;
  const flashRows = ui.flash ? Math.min(2, wrapWords(ui.flash.text, width - 1).length) : 0;
  const statusRows = loginAgent !== undefined ? LOGIN_STATUS_ROWS : !ui.modal ? Math.max(1, flashRows) : ui.modal.kind === 'rule' ? 1 + flashRows : 1;
  const bodyRows = Math.max(3, height - headerRows - statusRows - 1);
  const panes = shownPanes(ui.streamAgents, ui.focusPane, ui.paneStart, maxPanes);
  const helpFor = { view: ui.helpFor, readOnly, decisionsOnly, live };
  const helpLineCount = useMemo(() => helpLines(helpFor, width).length, [ui.helpFor, readOnly, decisionsOnly, live, width]);
  const approvalBox = useMemo((): KeyEnv['approvalBox'] => {
    if (!approval) return undefined;
    if (approval.kind === 'tool_permission') {
      // A tool call's lines (an edit's diff a page at a time), as many at once as its view shows.
      const body = toolCallBody(approval, false);
      return { id: approval.id, total: body.total, from: body.from, loaded: body.rows.length, rows: toolCallRows(approval, width, bodyRows), fileRows: [] };
    }
    const { body, bodyRows: rows } = approvalLayout(approval, bodyRows, nowMs, ui.approvalAgainst);
    return { id: approval.id, total: body.total, from: body.from, loaded: body.rows.length, rows, fileRows: body.files.map((f) => f.row) };
  }, [approval, bodyRows, width, ui.approvalAgainst]);

  const env: KeyEnv = {
    live,
    readOnly,
    ...(decisionsOnly && { decisionsOnly }),
    notLiveReason,
    roster: roster.map((r) => r.row),
    kept,
    agents: state.agents,
    attention,
    queue,
    inbox,
    stats,
    statsAgents,
    schedules,
    sampled: Object.keys(state.resources).length > 0,
    models,
    logins: state.logins,
    streams: state.streams,
    bodyRows: ui.view === 'stream' ? bodyRows - 1 : ui.view === 'help' || ui.view === 'approval' ? bodyRows : bodyRows - 2,
    paneWidth: Math.max(4, paneWidthFor(width, panes.shown.length) - 2),
    approval,
    ...(approvalBox && { approvalBox }),
    helpLines: helpLineCount,
    maxPanes,
    rules: state.rules ?? [],
    approvalOf: (id) => state.approvalDetails[id] ?? state.approvals[id],
    quitAsks,
  };
  const envRef = useRef(env);
  envRef.current = env;
  // The cursors stay on the rows they were put on while rows arrive above them.
  const shownUi = followSelection(ui, env);

  const say = useCallback((text: string, tone: 'info' | 'error') => {
    uiRef.current = { ...uiRef.current, flash: { text, tone } };
    setUi(uiRef.current);
  }, []);

  const update = useCallback((change: (ui: UiState) => UiState) => {
    const next = change(uiRef.current);
    if (next === uiRef.current) return;
    uiRef.current = next;
    setUi(next);
  }, []);
  const request = useCallback((r: HostRequest) => hive.request(r), [hive]);
  const runEffectsRef = useRef<(effects: Effect[]) => void>(() => undefined);
  const runLater = useCallback((effects: Effect[]) => runEffectsRef.current(effects), []);
  const jumpBuffer = ui.jump ? state.streams[ui.jump.agent] : undefined;
  const { runReport, runOlderSearch } = useReports({ request, ui, env, update, runEffects: runLater, live, hasData: state.hasData, readOnly, recapOnAttach, streamsRev: jumpBuffer ? `${jumpBuffer.rev}` : '' });

  const runEffects = useEffectRunner({ hive, contexts, theme, terminal, copyToClipboard, processEnv, say, runReport, runOlderSearch });
  runEffectsRef.current = runEffects;

  // Every key of a read, in order; one UI update for all of them.
  const onKeys = (keys: KeyEvent[]) => {
    let ui = uiRef.current;
    for (const { input, key } of keys) {
      // Off the roster, roster changes are not drawn; keys read the agents fresh (e.g. whether to pause or resume).
      const env = ui.view === 'agents' ? envRef.current : { ...envRef.current, agents: hive.getState().agents };
      const result = handleKey(ui, env, input, key);
      ui = result.ui;
      uiRef.current = ui;
      runEffects(result.effects);
    }
    setUi(uiRef.current);
  };
  const onKeysRef = useRef(onKeys);
  onKeysRef.current = onKeys;
  // The one keypress owner. Ink's own input handling stays off (nothing calls useInput), so no key is read twice.
  const { stdin } = useStdin();
  useEffect(() => readKeys(stdin, (keys) => onKeysRef.current(keys)), [stdin]);

  // Streams are open exactly while they are on screen (the panes, and the asking agent's beside a question or approval).
  const context = contextAgent(shownUi, attention, queue);
  const wanted = watchedAgents(ui, maxPanes, context, state.agents);
  const wantedKey = wanted.join('\n');
  useEffect(() => {
    setWatched(wanted);
    hive.watchStreams(wanted);
  }, [hive, wantedKey]);
  const contextBuffer = context ? state.streams[context] : undefined;
  const contextLines = useMemo(() => streamContext(context, state.streams, state.agents), [context, contextBuffer, contextBuffer?.rev, state.agents]);

  // The rules view reads hits and last use again while it is shown.
  useEffect(() => {
    if (ui.view !== 'rules' || !hive.fetchRules) return;
    const t = setInterval(() => void hive.fetchRules?.(), RULES_REFRESH_MS);
    t.unref?.();
    return () => clearInterval(t);
  }, [hive, ui.view]);

  // One bell per new approval or question (not for what was there at start).
  const alertsSeen = useRef<number | null>(null);
  useEffect(() => {
    if (!state.hasData) return;
    if (alertsSeen.current !== null && state.alerts > alertsSeen.current && bell) stdout.write('\u0007');
    alertsSeen.current = state.alerts;
  }, [state.alerts, state.hasData, bell, stdout]);

  // Footer and in-view hints come from the keymap for this context (view, mode, selected item).
  const keyContext = keyContextOf(shownUi, env);
  const hints = footerHints(keyContext);
  const { view: ctxView, mode: ctxMode, item: ctxItem } = keyContext;
  const toolApproval = keyContext.flags?.toolApproval === true;
  const holdPaused = keyContext.flags?.holdPaused === true;
  const selectedItemHints = useMemo(
    () => itemHints({ view: ctxView, mode: ctxMode, item: ctxItem, readOnly, decisionsOnly, live, flags: { toolApproval, holdPaused } }),
    [ctxView, ctxMode, ctxItem, readOnly, decisionsOnly, live, toolApproval, holdPaused],
  );
  return (
    <Box flexDirection="column" width={width} height={height}>
      {/* The header's countdown to the next try moves while the data's times stand still. */}
      <Header connection={state.connection} facts={headerFacts(state, queue)} nowMs={wallMs} width={width} theme={theme} />
      <Box height={bodyRows} flexDirection="column">
        <ViewBody
          ui={ui}
          shownUi={shownUi}
          state={state}
          roster={roster}
          kept={kept}
          actionsHidden={readOnly || decisionsOnly}
          queue={queue}
          attention={attention}
          inbox={inbox}
          stats={stats}
          totals={totals}
          spend={spendByAgent}
          schedules={schedules}
          scheduleCount={allSchedules.length}
          approval={approval}
          models={models}
          contextLines={contextLines}
          hints={selectedItemHints}
          helpFor={helpFor}
          width={width}
          height={bodyRows}
          nowMs={nowMs}
          tick={tick}
          maxPanes={maxPanes}
          live={live}
          theme={theme}
        />
      </Box>
      <StatusLine modal={ui.modal?.kind === 'answer' || ui.modal?.kind === 'pick' ? undefined : ui.modal} flash={ui.flash} {...(loginAgent !== undefined && { login: state.logins[loginAgent] ?? null })} rows={statusRows} width={width} disabledReason={live || readOnly ? undefined : notLiveReason} theme={theme} />
      <Footer hints={hints} width={width} theme={theme} />
    </Box>
  );
}
