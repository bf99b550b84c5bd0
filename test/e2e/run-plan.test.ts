import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/servers.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

const VALID = 'good-key-0123456789';
const REVOKED = 'old-key-0123456789';
const env = { PLAN_VALID: VALID, PLAN_REVOKED: REVOKED };

/** --list and --dry-run print the plan and send nothing; --only selects cases, which alone are sent and reported. */
describe('the plan of a run, and cases selected with --only', () => {
  let dir: TempDir;
  let server: TestServer;
  let scenario: string;
  let profile: string;
  beforeAll(async () => {
    dir = tempDir();
    // Only the valid key gets in; nothing is rate-limited.
    server = await startTestServer((req, res) => {
      if (req.url?.startsWith('/keys') && req.headers['x-api-key'] !== VALID) return res.writeHead(401, { 'www-authenticate': 'ApiKey' }).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    profile = dir.file('profile.yaml', `target: ${server.url}\nkeys:\n  valid: \${env:PLAN_VALID}\n  revoked: \${env:PLAN_REVOKED}\n`);
    scenario = dir.file(
      'audit.yaml',
      `name: audit
checks:
  - { id: plain.data, kind: http, severity: low, request: { path: /plain }, expect: { status: 200 } }
  - id: keys.matrix
    kind: api-key
    severity: high
    request: { path: /keys }
    cases: [missing, revoked, valid, echo]
  - { id: limits.a, kind: rate-limit, severity: high, request: { path: /limited-a }, policy: { limit: 3, window: 1s }, probes: [discovery, boundary], maxRequests: 40, maxDuration: 3s }
  - { id: limits.b, kind: rate-limit, severity: high, request: { path: /limited-b }, policy: { limit: 3, window: 1s }, probes: [retry-after, boundary], maxRequests: 40, maxDuration: 3s }
  - { id: plain.later, kind: http, severity: low, skip: waiting for the fix, request: { path: /plain }, expect: { status: 200 } }
`,
    );
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  const base = (out: string) => ['run', scenario, '-p', profile, '--timeout', '2s', '-r', 'json', '-o', out];

  /** Runs gauntlet and says what reached the server meanwhile. */
  async function sent(args: string[]) {
    const before = server.requests.length;
    const cli = await runCli(args, { env });
    const requests = server.requests.slice(before).map((r) => ({ path: r.url!.split('?')[0]!, key: r.headers['x-api-key'] }));
    return { cli, requests };
  }

  describe('--list and --dry-run', () => {
    it('--list prints every check id, each followed by its case ids, one per line, and sends nothing', async () => {
      const out = join(dir.path, 'list');
      const { cli, requests } = await sent([...base(out), '--list']);
      expect(cli.code, cli.stderr).toBe(0);
      expect(cli.stdout).toBe(
        [
          'plain.data',
          'keys.matrix',
          'keys.matrix.missing',
          'keys.matrix.revoked',
          'keys.matrix.valid',
          'keys.matrix.echo',
          'limits.a',
          'limits.a.discovery',
          'limits.a.boundary',
          'limits.b',
          'limits.b.retry-after',
          'limits.b.boundary',
          'plain.later',
          '',
        ].join('\n'),
      );
      expect(requests).toEqual([]);
      expect(existsSync(out)).toBe(false);
    });

    it('--list with --only lists just the selected cases', async () => {
      const { cli, requests } = await sent([...base(join(dir.path, 'list-only')), '--list', '--only', '*.boundary', '--only', 'keys.matrix.revoked']);
      expect(cli.code, cli.stderr).toBe(0);
      expect(cli.stdout.trim().split('\n')).toEqual(['keys.matrix', 'keys.matrix.revoked', 'limits.a', 'limits.a.boundary', 'limits.b', 'limits.b.boundary']);
      expect(requests).toEqual([]);
    });

    it('--dry-run prints each check with its cases and bounds, why one will not run, and the totals; it sends nothing', async () => {
      const out = join(dir.path, 'dry');
      const { cli, requests } = await sent([...base(out), '--dry-run']);
      expect(cli.code, cli.stderr).toBe(0);
      const lines = cli.stdout.split('\n');
      expect(lines[0]).toBe(`plan against ${server.url} (nothing is sent)`);
      expect(lines.filter((l) => l.endsWith('audit.yaml: audit'))).toHaveLength(1);
      /** A check's line and the indented lines under it. */
      const block = (id: string) => {
        const start = lines.findIndex((l) => l.startsWith(`  ${id} (`));
        return lines.slice(start, lines.findIndex((l, i) => i > start && !l.startsWith('    ')));
      };
      expect(block('plain.data')).toEqual(['  plain.data (http, low): GET /plain answers 200', '    at most 1 request and 2.00s']);
      expect(block('keys.matrix')).toEqual([
        '  keys.matrix (api-key, high): API keys on GET /keys',
        '    at most 3 requests and 6.00s',
        '    - keys.matrix.missing (high): a request without a key is refused with 401',
        '    - keys.matrix.revoked (high): a revoked key is refused with 401',
        "    - keys.matrix.valid (high): a valid key with the route's scopes is accepted",
        '    - keys.matrix.echo (high): no answer echoes the key it was sent, in its body or headers',
      ]);
      expect(block('limits.a')).toEqual([
        '  limits.a (rate-limit, high): rate limiting of GET /limited-a',
        "    at most 40 requests (some at once) and 5.00s, after up to 2.10s with no traffic for the target's quota to recover",
        '    - limits.a.discovery (high): a burst admits the declared limit, then is refused',
        '    - limits.a.boundary (high): no more than the limit gets through across a window boundary',
      ]);
      expect(block('plain.later')).toEqual(['  plain.later (http, low): GET /plain answers 200', '    not run: waiting for the fix']);
      // 1 + 3 + 40 + 40 requests; 2 s + 6 s + 2 x (5 s + 2.1 s of quiet before).
      expect(lines.at(-2)).toBe('5 checks, 10 results (1 check not run): at most 84 requests and 22.2s run one after another');
      expect(requests).toEqual([]);
      expect(existsSync(out)).toBe(false);
    });

    it('still validates everything first: a broken scenario is exit 2, and nothing is printed or sent', async () => {
      const broken = dir.file('broken.yaml', 'name: broken\nchecks:\n  - { id: b.one, kind: htp, severity: low, request: { path: /plain } }\n');
      for (const mode of ['--list', '--dry-run']) {
        const { cli, requests } = await sent(['run', broken, '-p', profile, mode]);
        expect(cli.code).toBe(2);
        expect(cli.stderr).toContain("did you mean 'http'?");
        expect(cli.stdout).toBe('');
        expect(requests).toEqual([]);
      }
    });
  });

  describe('--only selecting cases', () => {
    async function runSelected(name: string, ...only: string[]) {
      const out = join(dir.path, name);
      const { cli, requests } = await sent([...base(out), ...only.flatMap((o) => ['--only', o])]);
      const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
      return { cli, requests, run, reported: run.scenarios.flatMap((s) => s.checks).map((c) => `${c.id} ${c.status}`) };
    }

    it('keys.matrix.revoked sends only the revoked key, once, and reports only that case', async () => {
      const { cli, requests, reported } = await runSelected('revoked', 'keys.matrix.revoked');
      expect(cli.code, cli.stderr).toBe(0);
      expect(requests).toEqual([{ path: '/keys', key: REVOKED }]);
      expect(reported).toEqual(['keys.matrix.revoked passed']);
    });

    it('a brace glob selects two cases: the request without a key and the valid one', async () => {
      const { requests, reported } = await runSelected('braces', 'keys.matrix.{missing,valid}');
      expect(requests).toEqual([
        { path: '/keys', key: undefined },
        { path: '/keys', key: VALID },
      ]);
      expect(reported).toEqual(['keys.matrix.missing passed', 'keys.matrix.valid passed']);
    });

    it('a case judged over the others (echo) still sends them, and reports only itself', async () => {
      const { requests, reported } = await runSelected('echo', 'keys.matrix.echo');
      expect(requests.map((r) => r.key)).toEqual([undefined, REVOKED, VALID]);
      expect(reported).toEqual(['keys.matrix.echo passed']);
    });

    it('*.boundary runs only the boundary probe of every rate-limit check: nothing else is sent or reported', async () => {
      const { run, requests, reported } = await runSelected('boundary', '*.boundary');
      expect(reported.map((r) => r.split(' ')[0])).toEqual(['limits.a.boundary', 'limits.b.boundary']);
      expect(new Set(requests.map((r) => r.path))).toEqual(new Set(['/limited-a', '/limited-b']));
      // The unlimited server fails the boundary probe; no other probe ran (discovery, retry-after).
      for (const check of run.scenarios.flatMap((s) => s.checks)) expect(check.case).toBe('boundary');
      expect(run.options.only).toEqual(['*.boundary']);
    });
  });
});
