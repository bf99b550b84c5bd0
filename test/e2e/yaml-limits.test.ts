import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ALIAS_NODES, MAX_NESTING_DEPTH } from '../../src/scenario/yaml-limits.js';
import { runCli } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

const SCENARIO = 'name: s\nchecks:\n  - { id: s.a, kind: http, severity: low, request: { path: /a }, expect: { status: 200 } }\n';
const BOMB = ['b0: &b0 [w, w, w, w, w, w, w, w, w, w]', 'b1: &b1 [*b0, *b0, *b0, *b0, *b0, *b0, *b0, *b0, *b0, *b0]', 'b2: &b2 [*b1, *b1, *b1, *b1, *b1, *b1, *b1, *b1, *b1, *b1]', 'b3: &b3 [*b2, *b2, *b2, *b2, *b2, *b2, *b2, *b2, *b2, *b2]'];

describe('YAML resource limits in the CLI', () => {
  let dir: TempDir;
  let scenario: string;
  beforeAll(() => {
    dir = tempDir();
    scenario = dir.file('scenario.yaml', SCENARIO);
  });
  afterAll(() => dir.remove());

  it('an alias bomb in a scenario: exit 2 at file:line:col naming the limit, no internal error', async () => {
    const bomb = dir.file('bomb.yaml', `name: bomb\nvars:\n  ${BOMB.join('\n  ')}\nchecks: []\n`);
    const cli = await runCli(['validate', bomb]);
    expect(cli.code, cli.stderr).toBe(2);
    expect(cli.stderr).toMatch(new RegExp(`bomb\\.yaml:6:\\d+: error\\[E_YAML_ALIAS_LIMIT\\]: aliases expand to more than ${MAX_ALIAS_NODES} nodes`));
    expect(cli.stderr).not.toMatch(/internal error|ReferenceError|    at /);
  });

  it('an alias bomb in a profile (-p): exit 2 at file:line:col', async () => {
    const profile = dir.file('bomb-profile.yaml', `target: http://127.0.0.1:9\nvars:\n  ${BOMB.join('\n  ')}\n`);
    const cli = await runCli(['validate', scenario, '-p', profile]);
    expect(cli.code, cli.stderr).toBe(2);
    expect(cli.stderr).toMatch(/bomb-profile\.yaml:6:\d+: error\[E_YAML_ALIAS_LIMIT\]/);
    expect(cli.stderr).not.toMatch(/internal error|ReferenceError/);
  });

  it('a block document nested 3000 deep: exit 2 naming the limit, without a stack overflow or a page of spaces', async () => {
    const deep = dir.file('deep.yaml', `name: deep\nchecks: []\nx:\n${Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i + 1)}k${i}:\n`).join('')}`);
    const cli = await runCli(['validate', deep]);
    expect(cli.code, cli.stderr).toBe(2);
    expect(cli.stderr).toContain(`deep.yaml:${3 + MAX_NESTING_DEPTH}:${MAX_NESTING_DEPTH + 1}: error[E_YAML_TOO_DEEP]: nested deeper than ${MAX_NESTING_DEPTH} levels`);
    expect(cli.stderr).not.toContain('call stack');
    expect(cli.stderr).not.toMatch(/ {200}/);
  });
});
