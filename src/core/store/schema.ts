/** Schema migrations: each entry runs once, in order, recorded in `schema_migrations`. */
export const MIGRATIONS: readonly string[] = [
  // 1: the initial schema
  `
  CREATE TABLE agents (
    name TEXT PRIMARY KEY,
    config_json TEXT NOT NULL,
    source TEXT NOT NULL,              -- 'config' | 'spawn'
    created_at INTEGER NOT NULL,
    status_text TEXT,
    status_set_at TEXT,
    active_model TEXT,
    deployed_sha TEXT,
    removed_at INTEGER
  );
  CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    sender TEXT NOT NULL,
    recipient TEXT NOT NULL,           -- agent name or 'operator'
    body TEXT NOT NULL,
    sent_at INTEGER NOT NULL,
    in_reply_to INTEGER,
    broadcast INTEGER NOT NULL DEFAULT 0,
    delivered_at INTEGER,
    delivered_gen INTEGER,
    acked_at INTEGER
  );
  CREATE INDEX messages_inbox ON messages(recipient, acked_at, id);
  CREATE TABLE approvals (
    id INTEGER PRIMARY KEY,
    agent TEXT NOT NULL,
    kind TEXT NOT NULL,
    commit_ref TEXT NOT NULL DEFAULT '',
    fetched_sha TEXT,
    requested_at TEXT NOT NULL,
    requested_by TEXT,
    status TEXT NOT NULL,
    resolved_at TEXT,
    resolved_by TEXT,
    note TEXT,
    description TEXT,
    diff TEXT
  );
  CREATE INDEX approvals_status ON approvals(status, id);
  CREATE TABLE questions (
    id INTEGER PRIMARY KEY,
    asker TEXT NOT NULL,
    question TEXT NOT NULL,
    options_json TEXT NOT NULL,
    multi INTEGER NOT NULL,
    asked_at INTEGER NOT NULL,
    deadline_at INTEGER,
    target TEXT,
    answer TEXT,
    answerer TEXT,
    answered_at INTEGER,
    cancelled INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX questions_open ON questions(answered_at, deadline_at);
  CREATE TABLE reminders (
    id INTEGER PRIMARY KEY,
    agent TEXT NOT NULL,
    message TEXT NOT NULL,
    due_at REAL NOT NULL,
    created_at INTEGER NOT NULL,
    delivered_at INTEGER,
    cancelled_at INTEGER
  );
  CREATE INDEX reminders_due ON reminders(delivered_at, cancelled_at, due_at);
  CREATE TABLE turn_stats (
    id INTEGER PRIMARY KEY,
    agent TEXT NOT NULL,
    ended_at REAL NOT NULL,
    row_json TEXT NOT NULL
  );
  CREATE INDEX turn_stats_agent ON turn_stats(agent, id);
  CREATE TABLE agent_events (
    seq INTEGER PRIMARY KEY,
    agent TEXT NOT NULL,
    kind TEXT NOT NULL,
    line TEXT NOT NULL                 -- the serialized event, exactly as sent to subscribers
  );
  CREATE INDEX agent_events_agent ON agent_events(agent, seq);
  CREATE TABLE dashboard_events (
    seq INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    line TEXT NOT NULL
  );
  CREATE TABLE retention (
    scope TEXT PRIMARY KEY,            -- 'dashboard' or 'agent:<name>'
    pruned_through INTEGER NOT NULL
  );
  CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor TEXT,
    action TEXT NOT NULL,
    target TEXT,
    detail_json TEXT
  );
  `,
  // 2: seq never goes back, whatever is deleted (a purged agent's events, retention)
  `
  CREATE TABLE seq_high_water (
    channel TEXT PRIMARY KEY,          -- 'dashboard' | 'agent_events'
    seq INTEGER NOT NULL               -- the highest seq ever handed out
  );
  INSERT INTO seq_high_water (channel, seq) SELECT 'dashboard', COALESCE(MAX(seq), 0) FROM dashboard_events;
  INSERT INTO seq_high_water (channel, seq) SELECT 'agent_events', COALESCE(MAX(seq), 0) FROM agent_events;
  `,
  // 3: an approval's decision is recorded before it is applied; 1 while the apply runs
  `
  ALTER TABLE approvals ADD COLUMN applying INTEGER NOT NULL DEFAULT 0;
  `,
  // 4: retention by bytes and age: events and messages know their size, agent events when the core stored them
  `
  ALTER TABLE agent_events ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE agent_events ADD COLUMN stored_at INTEGER NOT NULL DEFAULT 0;
  UPDATE agent_events SET bytes = length(CAST(line AS BLOB)), stored_at = CAST(strftime('%s', 'now') AS INTEGER);
  DROP INDEX agent_events_agent;
  CREATE INDEX agent_events_agent ON agent_events(agent, seq, bytes, stored_at);
  ALTER TABLE messages ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0;
  UPDATE messages SET bytes = length(CAST(body AS BLOB));
  DROP INDEX messages_inbox;
  CREATE INDEX messages_inbox ON messages(recipient, acked_at, id, bytes);
  CREATE INDEX messages_unacked_sender ON messages(sender, acked_at, bytes);
  ALTER TABLE dashboard_events ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0;
  UPDATE dashboard_events SET bytes = length(CAST(line AS BLOB));
  CREATE INDEX dashboard_events_size ON dashboard_events(seq, bytes);
  `,
  // 5: scheduled prompts (`schedule_prompt` approvals), one row from the proposal on
  `
  CREATE TABLE schedules (
    id INTEGER PRIMARY KEY,
    target TEXT NOT NULL,
    prompt TEXT NOT NULL,
    cron TEXT,                         -- five fields, read in tz; NULL for an interval
    every_seconds INTEGER,             -- NULL for cron
    tz TEXT NOT NULL,
    catch_up INTEGER NOT NULL,
    state TEXT NOT NULL,               -- proposed | active | paused | ended
    approval_id INTEGER NOT NULL,
    proposed_by TEXT NOT NULL,         -- an agent, or the operator's actor
    proposer_agent TEXT,               -- the agent that proposed it (its allowed_recipients hold), NULL for the operator
    proposed_at INTEGER NOT NULL,
    anchor_ms INTEGER,                 -- interval slots are anchor_ms + k * every_seconds
    next_due_ms INTEGER,               -- active only: the first slot not yet delivered
    last_fired_at INTEGER,
    fired INTEGER NOT NULL DEFAULT 0,
    missed INTEGER NOT NULL DEFAULT 0,
    paused_by TEXT,
    ended_at INTEGER,
    note TEXT
  );
  CREATE INDEX schedules_due ON schedules(state, next_due_ms);
  CREATE INDEX schedules_target ON schedules(target, state);
  CREATE UNIQUE INDEX schedules_approval ON schedules(approval_id);
  `,
  // 6: turn starts get their own small index, so a search hit, a recap or a jump in a stream finds the turn an
  // event belongs to (the agent's last turn_start at or before it) without reading the stream.
  `
  CREATE INDEX agent_events_turns ON agent_events(agent, seq, stored_at) WHERE kind = 'turn_start';
  `,
  // 7: what a recap reads: when each operator last looked, what happened to the agents' harnesses (started,
  // marked failed, stalled: bounded by count and age), turns by the time they ended, turn ends by time.
  `
  CREATE TABLE operator_looks (
    operator TEXT PRIMARY KEY,         -- the actor's user@host
    looked_at REAL NOT NULL            -- unix seconds
  );
  CREATE TABLE agent_incidents (
    id INTEGER PRIMARY KEY,
    agent TEXT NOT NULL,
    at REAL NOT NULL,                  -- unix seconds
    kind TEXT NOT NULL,                -- 'started' | 'failed' | 'stalled'
    detail TEXT,
    seq INTEGER NOT NULL               -- the agent streams' seq then
  );
  CREATE INDEX agent_incidents_at ON agent_incidents(at);
  CREATE INDEX turn_stats_ended ON turn_stats(ended_at);
  CREATE INDEX agent_events_turn_ends ON agent_events(stored_at, seq) WHERE kind = 'turn_end';
  `,
  // 8: the traffic view pages one agent's messages, sent and received, newest first
  `
  CREATE INDEX messages_sender ON messages(sender, id);
  CREATE INDEX messages_recipient ON messages(recipient, id);
  `,
  // 9: tool permissions: the call a tool_permission approval is about, and the rules that decide calls without asking
  `
  ALTER TABLE approvals ADD COLUMN tool_name TEXT;
  ALTER TABLE approvals ADD COLUMN tool_use_id TEXT;
  ALTER TABLE approvals ADD COLUMN tool_summary TEXT;
  ALTER TABLE approvals ADD COLUMN tool_input_json TEXT;
  ALTER TABLE approvals ADD COLUMN rule_proposal TEXT;
  CREATE INDEX approvals_kind ON approvals(kind, status, id);
  CREATE TABLE permission_rules (
    id INTEGER PRIMARY KEY,
    rule TEXT NOT NULL,
    effect TEXT NOT NULL,              -- 'allow' | 'deny'
    agent TEXT,                        -- null = the whole hive
    source TEXT NOT NULL,              -- 'config' | 'operator'
    created_at INTEGER NOT NULL,
    created_by TEXT,
    expires_at INTEGER,
    hits INTEGER NOT NULL DEFAULT 0,
    last_used_at INTEGER
  );
  `,
  // 10: spend per day and week (each turn's cost in a column), budgets set at runtime, budget pauses the operator waived
  `
  ALTER TABLE turn_stats ADD COLUMN cost_usd REAL NOT NULL DEFAULT 0;
  UPDATE turn_stats SET cost_usd = COALESCE(json_extract(row_json, '$.cost_usd'), 0);
  CREATE INDEX turn_stats_spend ON turn_stats(ended_at, agent, cost_usd);
  CREATE TABLE budgets (
    scope TEXT PRIMARY KEY,            -- 'hive' | 'agent:<name>'
    daily_usd REAL,                    -- NULL = no limit
    per_turn_usd REAL,
    config_json TEXT NOT NULL,         -- the config file's limits for the scope when this was set
    set_by TEXT,
    set_at INTEGER NOT NULL
  );
  CREATE TABLE budget_waivers (
    agent TEXT NOT NULL,
    kind TEXT NOT NULL,                -- 'budget' | 'hive_budget'
    day_start INTEGER NOT NULL,        -- the budget day it holds for (unix s)
    waived_by TEXT,
    waived_at INTEGER NOT NULL,
    PRIMARY KEY (agent, kind, day_start)
  );
  `,
  // 11: config repos: what an apply_commit was diffed against, what a spawn starts from (and whether it revives a kept agent)
  `
  ALTER TABLE approvals ADD COLUMN base_sha TEXT;
  ALTER TABLE approvals ADD COLUMN payload_json TEXT;
  CREATE INDEX approvals_agent ON approvals(agent, kind, status);
  `,
];
