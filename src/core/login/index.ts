/** claude logins run by the core, in pseudo-terminals it owns. */
export { LoginSessions, LOGIN_TIMEOUT_MS, MAX_LOGINS, type LoginParts } from './login-sessions.js';
export { scriptArgv, shellQuote, type TerminalCommand } from './pseudo-terminal.js';
export { LoginScreen } from './login-screen.js';
