/** Tool permissions: rules (Claude Code's syntax) and the calls that wait for the operator. */
export { RuleBook, MAX_OPERATOR_RULES, type NewRule } from './rule-book.js';
export { RuleIndex, type IndexedRule } from './rule-index.js';
export { ToolPermissions, HIVE_TOOL_PREFIX, type PermissionAnswer, type WaitingConnection } from './tool-permissions.js';
export { toolCallDiff, toolCallSummary } from './tool-call-view.js';
export { unifiedDiff } from './line-diff.js';
