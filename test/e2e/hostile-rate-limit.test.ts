import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROBES } from '../../src/checks/rate-limit/spec.js';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { closedPort, startTestServer } from '../helpers/servers.js';
import { tempDir } from '../helpers/temp.js';

/**
 * Small hostile targets that give the rate-limit and load probes nothing real to judge: a probe that passes against
 * one of them proved nothing. None may pass; each must say what it could not observe (or what was wrong).
 */
const LIMIT = 5;
const WINDOW_MS = 500;

/** A fixed window of LIMIT per WINDOW_MS per X-API-Key, refusing with a given Retry-After. */
function windowed(retryAfter: string): (req: IncomingMessage, res: ServerResponse) => void {
  const windows = new Map<string, { start: number; count: number }>();
  return (req, res) => {
    const key = String(req.headers['x-api-key'] ?? req.socket.remoteAddress);
    const now = Date.now();
    const window = windows.get(key);
    const current = window && now - window.start < WINDOW_MS ? window : { start: now, count: 0 };
    windows.set(key, current);
    if (++current.count > LIMIT) return void res.writeHead(429, { 'retry-after': retryAfter }).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  };
}

const TARGETS: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  'never refuses': (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
  'redirects everything': (_req, res) => void res.writeHead(307, { location: 'https://elsewhere.example/' }).end(),
  'admits nothing (401)': (_req, res) => void res.writeHead(401).end(),
  'refuses everything (429)': (_req, res) => void res.writeHead(429, { 'retry-after': '1' }).end(),
};

/** What each target truly deserves: a target that never refuses has no limit, which discovery, concurrency and load show. */
const FINDINGS: Record<string, string[]> = {
  'never refuses': ['rl.discovery', 'rl.concurrency', 'load'],
  'redirects everything': [],
  'admits nothing (401)': [],
  'refuses everything (429)': [],
};

const dir = tempDir();
afterAll(() => dir.remove());

const CALLERS = Array.from({ length: 16 }, (_, i) => `c${i + 1}`);

const RATE_LIMIT_AND_LOAD = `  - id: rl
    kind: rate-limit
    severity: high
    request: { path: /api/data }
    policy: { limit: ${LIMIT}, window: ${WINDOW_MS}ms, keys: [${CALLERS.slice(1).join(', ')}] }
  - id: load
    kind: load
    severity: high
    request: { path: /api/data }
    load: { connections: 2, duration: 1s }
    limit: { limit: ${LIMIT}, window: ${WINDOW_MS}ms }
`;

async function audit(handler: (req: IncomingMessage, res: ServerResponse) => void, name: string, checks = RATE_LIMIT_AND_LOAD): Promise<{ code: number | null; run: RunResult; checks: CheckResult[] }> {
  const server = await startTestServer(handler);
  try {
    const keys = CALLERS.map((c) => `  ${c}: \${env:HOSTILE_${c.toUpperCase()}}`).join('\n');
    const env = Object.fromEntries(CALLERS.map((c) => [`HOSTILE_${c.toUpperCase()}`, `hk_live_${c}_0123456789abcdef`]));
    const profile = dir.file(`${name}.profile.yaml`, `target: ${server.url}\nkeys:\n${keys}\ndefaults: { key: c1 }\n`);
    const scenario = dir.file(`${name}.yaml`, `name: hostile\nchecks:\n${checks}`);
    const out = join(dir.path, name);
    const cli = await runCli(['run', scenario, '-p', profile, '-r', 'json', '-o', out], { env, timeoutMs: 180_000 });
    const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
    return { code: cli.code, run, checks: run.scenarios.flatMap((s) => s.checks) };
  } finally {
    await server.close();
  }
}

describe('rate-limit and load probes against targets that prove nothing', () => {
  it.each(Object.keys(TARGETS))('%s: no probe passes, and every probe is reported', async (name) => {
    const { checks, code, run } = await audit(TARGETS[name]!, name.replace(/\W+/g, '-'));
    const passed = checks.filter((c) => c.status === 'passed').map((c) => `${c.id}: ${c.message}`);
    expect(passed, passed.join('\n')).toEqual([]);
    // Nor does any cry wolf: the only findings are those the target truly earns (no limit at all).
    expect(checks.filter((c) => c.status === 'failed').map((c) => c.id)).toEqual(FINDINGS[name]);
    expect(checks.filter((c) => c.kind === 'rate-limit').map((c) => c.case)).toEqual([...PROBES]);
    expect(run.totals.checks).toBe(PROBES.length + 1);
    // What could not be judged says what it missed.
    for (const c of checks.filter((c) => c.status === 'errored')) expect(c.message, c.id).toMatch(/E_PRECONDITION|not run:/);
    expect(code).toBe(1);
  });

  it('a redirect is not an admission: the load check says nothing was admitted', async () => {
    const { checks } = await audit(TARGETS['redirects everything']!, 'redirect-load');
    expect(checks.find((c) => c.id === 'load')).toMatchObject({ status: 'errored', message: expect.stringMatching(/no response of the load run was admitted \(\d+ x 307\)/) });
    expect(checks.find((c) => c.id === 'rl.discovery')!.message).toMatch(/no request of a fresh caller was admitted \(15 x 307\)/);
  });

  it('a target that redirects one request in four: the redirects are other, not admitted, and fail the load check', async () => {
    let served = 0;
    const sometimesRedirects = (_req: IncomingMessage, res: ServerResponse) => {
      if (++served % 4 === 0) return void res.writeHead(307, { location: 'https://elsewhere.example/' }).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    };
    const load = (id: string, extra = '') => `  - { id: ${id}, kind: load, severity: high, request: { path: /api/data }, load: { connections: 2, amount: 200 }${extra} }\n`;
    const { checks } = await audit(sometimesRedirects, 'quarter-redirects', load('by-default') + load('declared', ', admittedStatus: [200, 307]'));
    const summary = (id: string) => (checks.find((c) => c.id === id)!.evidence.data as { summary: { responses: number; admitted: number; other: number } }).summary;
    // The default otherNon2xxShare (at most 1%) sees the 307s: a quarter of the answers served nothing.
    const byDefault = checks.find((c) => c.id === 'by-default')!;
    expect(byDefault, byDefault.message).toMatchObject({ status: 'failed', message: expect.stringContaining('other non-2xx') });
    expect(summary('by-default').other).toBeGreaterThanOrEqual(45);
    expect(summary('by-default').admitted + summary('by-default').other).toBe(summary('by-default').responses);
    // Declared as admitted, the redirects count as served.
    const declared = checks.find((c) => c.id === 'declared')!;
    expect(declared, declared.message).toMatchObject({ status: 'passed' });
    expect(summary('declared')).toMatchObject({ admitted: summary('declared').responses, other: 0 });
  });

  it('a target that never refuses: discovery names how many it sent, and the load check exceeds the declared limit', async () => {
    const { checks } = await audit(TARGETS['never refuses']!, 'never-refuses-detail');
    expect(checks.find((c) => c.id === 'rl.discovery')).toMatchObject({ status: 'failed', message: expect.stringMatching(/none of 100 requests refused in \d+ ms: no limit is enforced/) });
    expect(checks.find((c) => c.id === 'load')).toMatchObject({ status: 'failed', message: expect.stringContaining('admitted within the declared limit') });
  });

  it('Retry-After: 999999999 is a finding, and no probe vanishes from the report', async () => {
    const { checks, run } = await audit(windowed('999999999'), 'retry-forever');
    expect(run.totals.checks).toBe(PROBES.length + 1);
    expect(checks.find((c) => c.id === 'rl.retry-after')).toMatchObject({ status: 'failed', message: expect.stringMatching(/Retry-After within the policy: expected at most \d+s .* got 999999999s/) });
    expect(checks.find((c) => c.id === 'rl.discovery')).toMatchObject({ status: 'passed' });
  });

  it('a target that refuses every connection: every probe errored on the transport, and the exit code is 3', async () => {
    const port = await closedPort();
    const profile = dir.file('refused.profile.yaml', `target: http://127.0.0.1:${port}\n`);
    const scenario = dir.file('refused.yaml', `name: refused\nchecks:\n  - { id: rl, kind: rate-limit, severity: high, request: { path: /api/data }, policy: { limit: 5, window: 1s } }\n`);
    const out = join(dir.path, 'refused');
    const cli = await runCli(['run', scenario, '-p', profile, '-r', 'json', '-o', out]);
    const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
    const probes = run.scenarios.flatMap((s) => s.checks);
    expect(probes.map((c) => c.case)).toEqual([...PROBES]);
    expect(probes.filter((c) => c.status !== 'skipped').every((c) => c.status === 'errored' && c.transport === 'refused'), JSON.stringify(probes.map((c) => [c.case, c.status, c.transport]))).toBe(true);
    expect(cli.code, cli.stderr).toBe(3);
  });

  it('an unparseable Retry-After is named as such, not as absent', async () => {
    const { checks } = await audit(windowed('soon'), 'retry-soon');
    expect(checks.find((c) => c.id === 'rl.retry-after')!.message).toContain('present but unparseable: soon');
  });
});

/**
 * A clock-aligned fixed window whose edge falls inside a caller's first burst admits up to twice the limit across
 * it, so that burst can be admitted whole. This target does so every time: each key's first window holds 2 x LIMIT.
 * A request without a key is refused (401), so a key sent anywhere else gets nothing.
 */
function edgeInFirstBurst(): (req: IncomingMessage, res: ServerResponse) => void {
  const windows = new Map<string, { start: number; count: number; quota: number }>();
  return (req, res) => {
    const key = req.headers['x-api-key'];
    if (typeof key !== 'string') return void res.writeHead(401, { 'www-authenticate': 'ApiKey' }).end();
    const now = Date.now();
    const window = windows.get(key);
    const current = !window ? { start: now, count: 0, quota: 2 * LIMIT } : now - window.start < WINDOW_MS ? window : { start: now, count: 0, quota: LIMIT };
    windows.set(key, current);
    if (++current.count > current.quota) return void res.writeHead(429, { 'retry-after': String(Math.ceil((current.start + WINDOW_MS - now) / 1000)) }).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  };
}

describe('rate-limit probes when a window edge falls inside the burst that spends a quota', () => {
  it('spend the quota with a second burst and conclude, instead of erroring for want of a refusal', async () => {
    const probes = ['retry-after', 'isolation', 'refill', 'key-placement', 'forwarded-for'];
    const check = `  - id: rl
    kind: rate-limit
    severity: high
    request: { path: /api/data }
    probes: [${probes.join(', ')}]
    policy: { limit: ${LIMIT}, window: ${WINDOW_MS}ms, keyedOn: key, keys: [${CALLERS.slice(1).join(', ')}] }
`;
    const { checks } = await audit(edgeInFirstBurst(), 'edge-in-first-burst', check);
    expect(checks.map((c) => `${c.id} ${c.status}: ${c.message}`).sort()).toEqual([...probes].sort().map((p) => expect.stringMatching(new RegExp(`^rl\\.${p} passed: `))));
  }, 120_000);
});
