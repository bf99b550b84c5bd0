import { afterAll, describe, expect, it } from 'vitest';
import { CHECK_KINDS } from '../../src/checks/index.js';
import { ScenarioError, type Diagnostic } from '../../src/scenario/diagnostics.js';
import { loadScenarios } from '../../src/scenario/load-scenarios.js';
import { tempDir } from '../helpers/temp.js';

/** One YAML mistake is one located, explained error, not the parser's cascade of hundreds. */
const dir = tempDir('gauntlet-yaml-');
afterAll(() => dir.remove());

let counter = 0;
function diagnosticsOf(text: string): Diagnostic[] {
  const file = dir.file(`s${counter++}.yaml`, text);
  try {
    loadScenarios([file], { kinds: CHECK_KINDS });
  } catch (error) {
    if (error instanceof ScenarioError) return error.diagnostics;
    throw error;
  }
  return [];
}

const check = (i: number) => `  - id: c.${i}\n    kind: http\n    severity: low\n    request: { path: /api/users/${i} }\n    expect: { status: 200 }\n`;
const MANY_CHECKS = Array.from({ length: 40 }, (_, i) => check(i)).join('');

describe('YAML syntax mistakes', () => {
  it('an unquoted {{var}} in a flow map: one error at the braces, with the quoted value as the fix, not hundreds', () => {
    const text = `name: users\nvars: { userId: 42 }\nchecks:\n  - id: users.get\n    kind: http\n    severity: low\n    request: { path: /api/users/{{userId}} }\n    expect: { status: 200 }\n${MANY_CHECKS}`;
    const found = diagnosticsOf(text);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ line: 7, col: 33, code: 'E_YAML_SYNTAX', message: '{{userId}} is not quoted, and inside a flow map { ... } YAML reads { and } as brackets' });
    expect(found[0]!.hint).toBe('{{...}} inside a flow map must be quoted: path: "/api/users/{{userId}}"');
    // The cascade is counted, not dropped in silence.
    expect(found[0]!.note).toMatch(/^the YAML parser reported \d{3,} more errors in this file, not shown: most likely consequences of this one/);
    expect(found[0]!.frame).toContain('> 7 |     request: { path: /api/users/{{userId}} }');
  });

  it('an unquoted {{var}} as a whole value, in a flow map or a block: the quoting hint, not a mangled field name', () => {
    const flow = diagnosticsOf(`name: u\nchecks:\n  - id: a\n    kind: http\n    severity: low\n    request: { path: /a }\n    expect: { status: 200, json: { $.id: {{userId}} } }\n`);
    expect(flow).toEqual([expect.objectContaining({ line: 7, col: 42, code: 'E_UNQUOTED_TEMPLATE', hint: '{{...}} as a whole value must be quoted: $.id: "{{userId}}"' })]);
    const block = diagnosticsOf(`name: u\nchecks:\n  - id: a\n    kind: http\n    severity: low\n    request:\n      path: {{ userId }}\n`);
    expect(block).toEqual([expect.objectContaining({ line: 7, col: 13, code: 'E_UNQUOTED_TEMPLATE', hint: '{{...}} as a whole value must be quoted: path: "{{ userId }}"' })]);
  });

  it('a mapping used as a key is an error of its own, not a field named "[object Object]"', () => {
    const found = diagnosticsOf('name: u\nvars:\n  ? [a, b]\n  : c\nchecks: []\n');
    expect(found).toEqual([expect.objectContaining({ line: 3, col: 5, code: 'E_YAML_COMPLEX_KEY' })]);
  });

  it('a tab in the indentation: one error on that line', () => {
    const found = diagnosticsOf(`name: u\nchecks:\n  - id: a\n    kind: http\n\tseverity: low\n    request: { path: /a }\n${MANY_CHECKS}`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ line: 5, col: 1, message: 'Tabs are not allowed as indentation', hint: 'indent with spaces: YAML does not allow tabs in indentation' });
  });

  it('an unclosed quote is reported where it opens, not at the end of the file', () => {
    const found = diagnosticsOf(`name: u\nchecks:\n  - id: a\n    kind: http\n    title: "get a user\n    request: { path: /a }\n${MANY_CHECKS}`);
    expect(found).toEqual([expect.objectContaining({ line: 5, col: 12, message: 'this " quote is never closed' })]);
    expect(found[0]!.hint).toContain('the rest of the file was read as part of it');
    const single = diagnosticsOf(`name: u\nchecks:\n  - id: a\n    kind: http\n    request: { path: '/a }\n${MANY_CHECKS}`);
    expect(single[0]).toMatchObject({ line: 5, col: 22, message: "this ' quote is never closed" });
    expect(single).toHaveLength(1);
  });

  it('an unclosed bracket or brace is reported where it opens', () => {
    const list = diagnosticsOf(`name: u\ntags: [a, b\nchecks:\n${MANY_CHECKS}`);
    expect(list).toEqual([expect.objectContaining({ line: 2, col: 7, message: 'this [ is never closed: a flow sequence must end with ]' })]);
    const map = diagnosticsOf(`name: u\nchecks:\n  - id: a\n    kind: http\n    request: { path: /a\n    expect: { status: 200 }\n${MANY_CHECKS}`);
    expect(map).toEqual([expect.objectContaining({ line: 5, col: 14, message: 'this { is never closed: a flow map must end with }' })]);
  });

  it('a line indented one space too deep is reported on that line, with the indentation it needs', () => {
    const found = diagnosticsOf(`name: u\nchecks:\n  - id: a\n    kind: http\n     severity: low\n    request: { path: /a }\n${MANY_CHECKS}`);
    expect(found).toEqual([expect.objectContaining({ line: 5, col: 6, hint: "indent it like 'kind' (4 spaces)" })]);
  });

  it('a value with ": " in it: the quoted value as the fix; two such mistakes far apart are both reported', () => {
    const found = diagnosticsOf(`name: u\nchecks:\n  - id: a\n    kind: http\n    title: Users: list\n    severity: low\n    request: { path: /a }\n  - id: b\n    kind: http\n    title: Users: get\n    severity: low\n    request: { path: /b }\n`);
    expect(found.map((d) => [d.line, d.col, d.hint])).toEqual([
      [5, 12, 'quote the value: title: "Users: list"'],
      [10, 12, 'quote the value: title: "Users: get"'],
    ]);
  });

  it('a file shaped like a target profile gets no code frame and no quoted text in its syntax errors: it may hold a key', () => {
    const found = diagnosticsOf('target: http://127.0.0.1:9\nkeys:\n  valid: sk_live_do_not_print: x\n');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ line: 3, col: 10, hint: 'quote the value', frame: undefined });
    expect(JSON.stringify(found)).not.toContain('sk_live_do_not_print');
    const template = diagnosticsOf('target: http://127.0.0.1:9\nkeys: { valid: {{sk_live_braced}} }\n');
    expect(template).toEqual([expect.objectContaining({ line: 2, col: 16, code: 'E_UNQUOTED_TEMPLATE', frame: undefined })]);
    expect(JSON.stringify(template)).not.toContain('sk_live_braced');
  });
});
