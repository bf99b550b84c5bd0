import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/servers.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

/**
 * "Exit 2 means nothing was sent": every usage error is refused before anything is loaded, started or sent, with
 * a message that says what is wrong (and the closest right spelling, where there is one).
 */
describe('usage errors', () => {
  let dir: TempDir;
  let server: TestServer;
  let scenario: string;
  beforeAll(async () => {
    dir = tempDir();
    server = await startTestServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('[]'));
    scenario = dir.file(
      'basics.yaml',
      'name: basics\nchecks:\n' +
        '  - { id: basics.data, kind: http, severity: low, request: { path: /api/data }, expect: { status: 200 } }\n' +
        '  - { id: basics.user, kind: http, severity: low, request: { path: /api/users/1 }, expect: { status: 200 } }\n',
    );
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  /** A run that would send requests and write a JSON report, were its line valid. */
  const run = (out: string, ...extra: string[]) => ['run', scenario, '--target', server.url, '-r', 'json', '-o', out, ...extra];

  const cases: [string, (out: string) => string[], RegExp | string][] = [
    ['a misspelled option', (out) => run(out, '--fial-on', 'high'), 'unknown option --fial-on: did you mean --fail-on?'],
    ['two swapped letters', (out) => run(out, '--onyl', 'basics.data'), 'unknown option --onyl: did you mean --only?'],
    ['an option run does not have', (out) => run(out, '--proxy', 'http://127.0.0.1:3128'), /^error\[E_USAGE\]: unknown option --proxy\nsee: gauntlet run --help$/m],
    ['a negated unknown option', (out) => run(out, '--no-such-option'), 'unknown option --no-such-option'],
    ['a misspelled command', (out) => ['runn', scenario, '--target', server.url, '-o', out], "unknown command 'runn': did you mean 'run'?"],
    ['an unknown command', () => ['frobnicate'], "unknown command 'frobnicate' (commands: init, run, worker, validate, schema, report, bench, certs, serve, demo)"],
    ['no command', () => [], 'name a command: init, run, worker, validate'],
    ['a value outside the choices', (out) => run(out, '--fail-on', 'hihg'), "--fail-on expects one of info, low, medium, high, critical; got 'hihg': did you mean 'high'?"],
    ['a misspelled reporter', (out) => ['run', scenario, '--target', server.url, '-o', out, '-r', 'json,jsno'], "unknown reporter 'jsno': did you mean 'json'?"],
    ['a timeout that is not a duration', (out) => run(out, '--timeout', '5x'), "--timeout: '5x' is not a duration"],
    ['a concurrency of 0', (out) => run(out, '--concurrency', '0'), "--concurrency expects a whole number of at least 1; got '0'"],
    ['a concurrency that is no number', (out) => run(out, '-c', 'four'), '--concurrency expects a whole number of at least 1, e.g. --concurrency 4'],
    ['a shard beyond the count', (out) => run(out, '--shard', '3/2'), "--shard expects i/n with 1 <= i <= n, e.g. 2/4; got '3/2'"],
    ['a --var without a value', (out) => run(out, '--var', 'token'), "--var expects name=value"],
    ['--list with --shard', (out) => run(out, '--list', '--shard', '1/2'), '--list and --shard cannot be used together'],
    ['--list with --dry-run', (out) => run(out, '--list', '--dry-run'), '--list and --dry-run cannot be used together'],
    ['--only matching nothing', (out) => run(out, '--only', 'basics.dta'), 'no checks selected: --only/--tag matched nothing in the given scenarios\n--only basics.dta: did you mean basics.data?'],
    ['a tag no check carries', (out) => run(out, '--tag', 'smoek'), '--tag smoek: no check carries it'],
    ['an option of another command', () => ['validate', scenario, '--target', server.url], 'unknown option --target'],
    ['a benchmark option for another benchmark', () => ['bench', 'load', '--size', '50'], '--size does nothing for bench load: it is for bench burst'],
    ['a misspelled benchmark', () => ['bench', 'lod'], "<which> expects one of limiters, burst, load, soak, init; got 'lod': did you mean 'load'?"],
    ['schema --profile with --write', () => ['schema', '--profile', '--write'], '--profile and --write cannot be used together'],
    ['report without its argument', (out) => ['report', '-o', out], 'report is missing its argument: gauntlet report <run.json>'],
    ['a misspelled demo limiter', (out) => ['demo', '--limiter', 'gcar', '-o', out], "got 'gcar': did you mean 'gcra'?"],
    ['a demo option misspelled', (out) => ['demo', '--fail-onn', 'high', '-o', out], 'unknown option --fail-onn: did you mean --fail-on?'],
    ['a serve choice', () => ['serve', '--mtls-mode', 'both'], "--mtls-mode expects one of required, optional; got 'both'"],
  ];

  it.each(cases)('%s: exit 2 with a helpful message, nothing sent, no report written', async (_name, args, message) => {
    const out = join(dir.path, `out-${Math.random().toString(36).slice(2)}`);
    const before = server.requests.length;
    const cli = await runCli(args(out));
    expect(cli.code, cli.stderr).toBe(2);
    if (typeof message === 'string') expect(cli.stderr).toContain(message);
    else expect(cli.stderr).toMatch(message);
    expect(cli.stderr).not.toContain('internal error');
    expect(server.requests.length - before).toBe(0);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });

  it('a line that is valid still runs: the same scenario and server, exit 0 and a report', async () => {
    const out = join(dir.path, 'out-valid');
    const cli = await runCli(run(out, '--fail-on', 'high', '--only', 'basics.data'));
    expect(cli.code, cli.stderr).toBe(0);
    expect(server.requests.map((r) => r.url)).toContain('/api/data');
    expect(readdirSync(out)).toEqual(['gauntlet-report.json']);
  });
});
