/**
 * The container: turns the hive state and the UI state into view props, owns
 * the one keyboard handler, and runs the effects `handleKey` asks for. Views
 * below it are presentational.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Box, useApp, useInput, useStdout } from 'ink';
import type { HostRequest } from '../protocol/index.js';
import type { HiveState } from './client/hive-state.js';
import { attentionQueue } from './client/attention-queue.js';
import type { RequestOutcome } from './client/hive-client.js';
import { footerHints, itemHints } from './keys/hints.js';
import { groupByParent } from './format.js';
import { statsRows, totalsByAgent } from './stats.js';
import { handleKey } from './ui/dispatch.js';
import { keyContextOf } from './ui/key-context.js';
import { initialUiState, type Effect, type KeyEnv, type UiState } from './ui/ui-state.js';
import type { Theme } from './theme/theme.js';
import { Header } from './components/Header.js';
import { Footer } from './components/Footer.js';
import { StatusLine } from './components/StatusLine.js';
import { AgentsView } from './views/AgentsView.js';
import { StreamView } from './views/StreamView.js';
import { AttentionView } from './views/AttentionView.js';
import { ApprovalView } from './views/ApprovalView.js';
import { StatsView } from './views/StatsView.js';
import { HelpView } from './views/HelpView.js';
import { AnswerForm } from './views/AnswerForm.js';
import { parseDiff } from './diff.js';
import { ToolApprovalView } from './views/ToolApprovalView.js';
import { RulesView } from './views/RulesView.js';
import { toolCallLines } from './tool-call.js';

/** Seconds between refreshes of the rules view (hits and last use change without events). */
const RULES_REFRESH_MS = 2000;

/** The agents whose streams are open: the stream view's, or the agent a tool approval on screen came from. */
function watchedAgents(hive: HiveSource, ui: UiState): string[] {
  if (ui.view !== 'approval' || ui.approvalId === undefined) return ui.streamAgents;
  const approval = hive.getState().approvals[ui.approvalId];
  return approval?.kind === 'tool_permission' ? [approval.agent] : ui.streamAgents;
}

/** What the console needs from the connection layer (the `HiveClient`, or a stand-in in tests). */
export interface HiveSource {
  getState(): HiveState;
  subscribe(listener: () => void): () => void;
  request(request: HostRequest): Promise<RequestOutcome>;
  fetchApproval(id: number): Promise<void>;
  /** Fetch the tool-permission rules (absent: this source has none). */
  fetchRules?(): Promise<void>;
  loadOlder(agent: string): Promise<void>;
  watchStreams(agents: readonly string[]): void;
}

/** The hives (contexts) a console knows, and switching between them. */
export interface ContextSwitch {
  /** The context shown now. */
  readonly current: string;
  /** Every context's name. */
  names(): string[];
  /** Show another context; a sentence when there is none of that name. */
  switchTo(name: string): string | undefined;
}

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

/** Wall-clock time for ages, countdowns and spinners; stopped while nothing on screen shows time. */
function useClock(fast: boolean, needed: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!needed) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), fast ? 250 : 1000);
    t.unref?.();
    return () => clearInterval(t);
  }, [fast, needed]);
  return now;
}

/** What a view shows of the hive: when none of it changed, the console does not redraw. */
export function viewDependencies(s: HiveState, view: string, streamAgents: readonly string[]): unknown[] {
  // The header (connection, counts) and the bell matter everywhere.
  const deps: unknown[] = [s.connection, s.hasData, s.alerts, Object.keys(s.agents).length, s.approvals, s.questions, s.operatorInbox];
  if (view === 'agents') deps.push(s.agents, s.transients);
  else if (view === 'stream') for (const a of streamAgents) deps.push(s.streams[a], s.streams[a]?.rev);
  else if (view === 'approval') {
    deps.push(s.approvalDetails);
    for (const a of streamAgents) deps.push(s.streams[a], s.streams[a]?.rev);
  } else if (view === 'rules') deps.push(s.rules, s.rulesError);
  else if (view === 'stats') deps.push(s.turnStats);
  return deps;
}

/**
 * The hive state as the current view needs it: a change elsewhere (a roster
 * update while a stream is shown) causes no React commit, so Ink draws no frame.
 */
function useHiveView(hive: HiveSource, view: string, streamAgents: readonly string[]): HiveState {
  const [state, setState] = useState(hive.getState);
  const shown = useRef<unknown[]>([]);
  const streamKey = streamAgents.join('\n');
  useEffect(() => {
    const agents = streamKey ? streamKey.split('\n') : [];
    const check = () => {
      const s = hive.getState();
      const deps = viewDependencies(s, view, agents);
      if (deps.length === shown.current.length && deps.every((d, i) => Object.is(d, shown.current[i]))) return;
      shown.current = deps;
      setState(s);
    };
    check();
    return hive.subscribe(check);
  }, [hive, view, streamKey]);
  return state;
}

/** How many stream panes fit side by side. */
export function panesFor(columns: number): number {
  return columns >= 180 ? 3 : columns >= 120 ? 2 : 1;
}

/** The operator console. */
export function App({ hive, contexts, theme, bell, size: fixedSize, initialUi }: AppProps) {
  const app = useApp();
  const { stdout } = useStdout();
  const [ui, setUi] = useState<UiState>(() => initialUi ?? initialUiState());
  const watched = watchedAgents(hive, ui);
  const state = useHiveView(hive, ui.view, watched);
  const size = useTerminalSize(fixedSize);
  const uiRef = useRef(ui);
  // A live stream view shows no times: no clock frames while watching one.
  const nowMs = useClock(Object.keys(state.transients).length > 0, !(ui.view === 'stream' && state.connection.phase === 'live'));
  const tick = Math.floor(nowMs / 250);

  const height = Math.max(6, size.rows - 1); // one row short of the terminal: Ink never clears the screen
  const width = Math.max(20, size.columns);
  const bodyRows = height - 3;
  const maxPanes = panesFor(width);
  const live = state.connection.phase === 'live';
  const readOnly = state.connection.readOnly;
  const decisionsOnly = state.connection.decisionsOnly === true;

  const roster = useMemo(() => groupByParent(Object.values(state.agents)), [state.agents]);
  const attention = useMemo(() => attentionQueue(state), [state.approvals, state.questions, state.operatorInbox]);
  const stats = useMemo(() => statsRows(state.turnStats, ui.stats), [state.turnStats, ui.stats]);
  const totals = useMemo(() => totalsByAgent(ui.stats.agent ? stats : state.turnStats), [state.turnStats, stats, ui.stats.agent]);
  const statsAgents = useMemo(() => [...new Set(state.turnStats.map((t) => t.agent))].sort(), [state.turnStats]);
  const approval = ui.approvalId !== undefined ? (state.approvalDetails[ui.approvalId] ?? state.approvals[ui.approvalId]) : undefined;
  const approvalLines = useMemo(
    () => (approval?.kind === 'tool_permission' ? toolCallLines(approval, false).length + 6 : approval?.diff ? parseDiff(approval.diff).length + 6 : 6),
    [approval],
  );
  const notLiveReason =
    state.connection.phase === 'live' ? '' : state.connection.phase === 'incompatible' ? 'the core is incompatible' : `not connected (${state.connection.phase})`;

  const env: KeyEnv = {
    live,
    readOnly,
    ...(decisionsOnly && { decisionsOnly }),
    notLiveReason,
    roster: roster.map((r) => r.row),
    attention,
    statsCount: stats.length,
    statsAgents,
    streams: state.streams,
    bodyRows: ui.view === 'stream' ? bodyRows - 1 : bodyRows,
    approvalLines,
    maxPanes,
    rules: state.rules ?? [],
    approvalOf: (id) => state.approvalDetails[id] ?? state.approvals[id],
  };
  const envRef = useRef(env);
  envRef.current = env;

  const runEffects = useCallback(
    (effects: Effect[]) => {
      for (const effect of effects) {
        switch (effect.type) {
          case 'quit':
            app.exit();
            break;
          case 'load_older':
            void hive.loadOlder(effect.agent);
            break;
          case 'fetch_approval':
            void hive.fetchApproval(effect.id);
            break;
          case 'fetch_rules':
            void hive.fetchRules?.();
            break;
          case 'switch_context': {
            const problem = !contexts
              ? 'this console knows one hive; name others in the contexts file (see --help)'
              : effect.name === undefined
                ? `contexts: ${contexts.names().map((n) => (n === contexts.current ? `${n} (shown)` : n)).join(', ')} — :ctx NAME switches`
                : contexts.switchTo(effect.name);
            if (problem) {
              uiRef.current = { ...uiRef.current, flash: { text: problem, tone: effect.name === undefined && contexts ? 'info' : 'error' } };
              setUi(uiRef.current);
            }
            break;
          }
          case 'request':
            void hive.request(effect.pending.request).then((outcome) => {
              const flash = outcome.ok
                ? { text: `✓ ${effect.pending.what}`, tone: 'info' as const }
                : { text: `✗ ${effect.pending.what} failed: ${outcome.error}`, tone: 'error' as const };
              uiRef.current = { ...uiRef.current, flash };
              setUi(uiRef.current);
            });
            break;
        }
      }
    },
    [app, hive, contexts],
  );

  useInput((input, key) => {
    let env = envRef.current;
    // Off the roster, the roster is not redrawn on every change; read it fresh (e.g. whether to pause or resume).
    if (uiRef.current.view !== 'agents') env = { ...env, roster: groupByParent(Object.values(hive.getState().agents)).map((r) => r.row) };
    const result = handleKey(uiRef.current, env, input, key);
    if (result.ui !== uiRef.current) {
      uiRef.current = result.ui;
      setUi(result.ui);
    }
    runEffects(result.effects);
  });

  // Streams are open exactly while they are on screen.
  const streamKey = watched.join('\n');
  useEffect(() => {
    hive.watchStreams(streamKey ? streamKey.split('\n') : []);
  }, [hive, streamKey]);

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
  const keyContext = keyContextOf(ui, env);
  const hints = footerHints(keyContext);
  const { view: ctxView, mode: ctxMode, item: ctxItem } = keyContext;
  const toolApproval = keyContext.flags?.toolApproval === true;
  const selectedItemHints = useMemo(
    () => itemHints({ view: ctxView, mode: ctxMode, item: ctxItem, readOnly, decisionsOnly, live, ...(toolApproval && { flags: { toolApproval } }) }),
    [ctxView, ctxMode, ctxItem, readOnly, decisionsOnly, live, toolApproval],
  );
  const answering = ui.modal?.kind === 'answer' ? attention.find((a) => a.kind === 'question' && a.id === (ui.modal as { questionId: number }).questionId) : undefined;

  let body: ReactNode;
  if (answering?.kind === 'question' && ui.modal?.kind === 'answer') {
    body = <AnswerForm question={answering.question} cursor={ui.modal.cursor} picked={ui.modal.picked} typing={ui.modal.typing} text={ui.modal.text} height={bodyRows} theme={theme} />;
  } else {
    switch (ui.view) {
      case 'agents':
        body = <AgentsView rows={roster} transients={state.transients} cursor={ui.cursor.agents} height={bodyRows} width={width} nowMs={nowMs} tick={tick} tiled={ui.tiled} theme={theme} />;
        break;
      case 'stream':
        body = <StreamView agents={ui.streamAgents} streams={state.streams} scroll={ui.scroll} focusPane={ui.focusPane} width={width} height={bodyRows} maxPanes={maxPanes} theme={theme} />;
        break;
      case 'attention':
        body = <AttentionView items={attention} cursor={ui.cursor.attention} hints={selectedItemHints} height={bodyRows} width={width} nowMs={nowMs} theme={theme} />;
        break;
      case 'approval': {
        const loading = ui.approvalId !== undefined && !state.approvalDetails[ui.approvalId];
        // Each kind of approval has its own view; a tool call shows beside its agent's stream.
        body =
          approval?.kind === 'tool_permission' ? (
            <ToolApprovalView approval={approval} loading={loading} scroll={ui.approvalScroll} hints={selectedItemHints} stream={state.streams[approval.agent]} width={width} height={bodyRows} nowMs={nowMs} theme={theme} />
          ) : (
            <ApprovalView approval={approval} loading={loading} scroll={ui.approvalScroll} hints={selectedItemHints} height={bodyRows} nowMs={nowMs} theme={theme} />
          );
        break;
      }
      case 'rules':
        body = <RulesView rules={state.rules} {...(state.rulesError !== undefined && { error: state.rulesError })} cursor={ui.cursor.rules} height={bodyRows} width={width} nowMs={nowMs} theme={theme} />;
        break;
      case 'stats':
        body = <StatsView rows={stats} totals={totals} view={ui.stats} cursor={ui.cursor.stats} height={bodyRows} width={width} theme={theme} />;
        break;
      case 'help':
        body = <HelpView context={{ view: ui.helpFor, readOnly, decisionsOnly, live }} scroll={ui.helpScroll} height={bodyRows} theme={theme} />;
        break;
    }
  }

  return (
    <Box flexDirection="column" width={width} height={height}>
      <Header connection={state.connection} nowMs={nowMs} agents={roster.length} attention={attention.length} view={ui.view} theme={theme} />
      <Box height={bodyRows} flexDirection="column">
        {body}
      </Box>
      <StatusLine modal={ui.modal?.kind === 'answer' ? undefined : ui.modal} flash={ui.flash} disabledReason={live || readOnly ? undefined : notLiveReason} theme={theme} />
      <Footer hints={hints} theme={theme} />
    </Box>
  );
}
