import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LoginScreen } from './login-screen.js';

// What the real `claude auth login` (2.1.197) printed in a pseudo-terminal, the address's query shortened only in its random values.
const REAL_URL =
  'https://claude.com/cai/oauth/authorize?code=true&client_id=9d1c250a-e61b-44d9-88ed-5944d1962f5e&response_type=code&redirect_uri=https%3A%2F%2Fplatform.claude.com%2Foauth%2Fcode%2Fcallback' +
  '&scope=org%3Acreate_api_key+user%3Aprofile+user%3Ainference+user%3Asessions%3Aclaude_code+user%3Amcp_servers+user%3Afile_upload' +
  '&code_challenge=7ohCkKVSiuiQeXftigx6cjRB4NlkwOrJDwlpUpjzyggXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX&code_challenge_method=S256&state=joiczdVw7Om0bgCp79FT3tOuduCHWL2asGvbephbDKM';

test('the real claude\'s login screen: the whole address (longer than a kept line), then the prompt', () => {
  const screen = new LoginScreen();
  screen.push('Opening browser to sign in…\r\n');
  screen.push(`If the browser didn't open, visit: ${REAL_URL}\r\n`);
  screen.push('Paste code here if prompted > ');
  assert.ok(REAL_URL.length + 35 > 500, 'the line is longer than a kept line');
  assert.equal(screen.url, REAL_URL);
  assert.equal(screen.prompt?.text, 'Paste code here if prompted >');
  assert.ok(screen.output().every((l) => l.length <= 501));
});

test('a pasted code is blotted out of what claude echoes', () => {
  const screen = new LoginScreen();
  screen.push('Paste code here if prompted > ');
  screen.redact('abc#123');
  screen.push('abc#123\r\nLogin successful.\r\n');
  assert.ok(!screen.output().join('\n').includes('abc#123'));
  assert.ok(screen.output().some((l) => l.includes('[code]')));
});
