import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBES } from '../../src/checks/rate-limit/spec.js';
import type { RunResult } from '../../src/results/model.js';
import { BIN } from '../helpers/cli.js';
import { EVERY_KIND, everyKindEnv, everyKindProfile } from '../helpers/every-kind.js';
import { startHostile } from '../helpers/hostile-servers.js';
import { testPki, type TestPki } from '../helpers/pki.js';
import { startTestServer } from '../helpers/servers.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir();
afterAll(() => dir.remove());

/** The signals that stop a run, and the exit code each one ends it with. */
const STOP_SIGNALS: [NodeJS.Signals, number][] = [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
];

/** Starts gauntlet, waits for output matching `ready` (and `afterMs` more), sends `signal`, and times the exit. */
async function interruptWhen(
  args: string[],
  ready: RegExp,
  afterMs = 0,
  env: NodeJS.ProcessEnv = {},
  signal: NodeJS.Signals = 'SIGINT',
): Promise<{ code: number | null; stopMs: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...env } });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`never saw ${ready}: ${stdout}\n${stderr}`)), 20_000);
    const check = () => {
      if (ready.test(stdout + stderr)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', (d) => ((stdout += d), check()));
    child.stderr.on('data', (d) => ((stderr += d), check()));
  });
  if (afterMs) await new Promise((resolve) => setTimeout(resolve, afterMs));
  const sentAt = Date.now();
  child.kill(signal);
  const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const code = await exited;
  clearTimeout(kill);
  return { code, stopMs: Date.now() - sentAt, stdout, stderr };
}

/** Long-running checks of every kind that loops: each is interrupted mid-way against a slow, permissive target. */
const LONG_CHECKS: Record<string, string> = {
  load: '{ id: long.load, kind: load, severity: low, request: { path: /api/data }, load: { connections: 4, duration: 60s } }',
  'api-key-timing': '{ id: long.timing, kind: api-key-timing, severity: low, request: { path: /api/data }, samples: 500, maxDuration: 60s }',
  'headers (burst)': '{ id: long.headers, kind: headers, severity: low, responses: { rate-limited: { request: { path: /api/search }, burst: { max: 400, within: 60s, concurrency: 2 } } }, cases: [rate-limited] }',
  cors: '{ id: long.cors, kind: cors, severity: low, request: { path: /api/data }, allowedOrigins: [https://app.example.com] }',
  'rate-limit': '{ id: long.rate, kind: rate-limit, severity: low, request: { path: /api/search }, policy: { limit: 50, window: 10s } }',
  // The fingerprint's first burst is aimed seconds ahead: the signal comes while it waits for that instant.
  'rate-limit (aimed burst)': '{ id: long.aimed, kind: rate-limit, severity: low, request: { path: /api/search }, policy: { limit: 5, window: 10s }, probes: [discovery, fingerprint, forwarded-for] }',
  'api-key': '{ id: long.keys, kind: api-key, severity: low, request: { path: /api/data } }',
};

describe('SIGINT', () => {
  it('stops a run within 2 s, writes the partial report marked interrupted, and exits 130', async () => {
    const silent = await startHostile('never-answers');
    try {
      const scenario = dir.file(
        'slow.yaml',
        `name: slow\nchecks:\n${Array.from({ length: 5 }, (_, i) => `  - { id: slow.${i}, kind: http, severity: low, request: { path: /x }, expect: { status: 200 } }`).join('\n')}\n`,
      );
      const out = join(dir.path, 'out');
      const result = await interruptWhen(['run', scenario, '--target', silent.url, '--timeout', '60s', '-r', 'console,json,html', '-o', out], /5 check\(s\)/);
      expect(result.code).toBe(130);
      expect(result.stopMs).toBeLessThan(2000);
      expect(result.stderr).toContain('interrupted');
      const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
      expect(run.interrupted).toBe(true);
      expect(run.verdict.exitCode).toBe(130);
      expect(existsSync(join(out, 'gauntlet-report.html'))).toBe(true);
      expect(readFileSync(join(out, 'gauntlet-report.html'), 'utf8')).toContain('Interrupted:');
    } finally {
      await silent.close();
    }
  });

  it('lists every planned check in every report: the ones the interrupt kept from starting are skipped, not gone', async () => {
    const silent = await startHostile('never-answers');
    try {
      const first = dir.file('first.yaml', `name: first\nchecks:\n${[0, 1, 2].map((i) => `  - { id: first.${i}, kind: http, severity: high, request: { path: /x }, expect: { status: 200 } }`).join('\n')}\n`);
      // With -c 1 this scenario never starts at all. The cors check plans one case, reported under its case id.
      const second = dir.file('second.yaml', 'name: second\nchecks:\n  - { id: second.cors, kind: cors, severity: high, request: { path: /x }, allowedOrigins: [https://app.example.com], cases: [no-origin] }\n  - { id: second.0, kind: http, severity: high, request: { path: /y }, expect: { status: 200 } }\n');
      const out = join(dir.path, 'out-plan');
      const result = await interruptWhen(['run', first, second, '--target', silent.url, '--timeout', '60s', '-c', '1', '-r', 'console,json,junit,sarif,html', '-o', out], /5 check\(s\) in 2 scenario/, 300);
      expect(result.code).toBe(130);
      const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
      const notRun = ['first.1', 'first.2', 'second.cors.no-origin', 'second.0'];
      const checks = run.scenarios.flatMap((s) => s.checks);
      // The plan's count (5 checks in 2 scenarios), in plan order: first.0 was in flight, the rest never started.
      expect(run.totals.checks).toBe(5);
      expect(checks.map((c) => c.id)).toEqual(['first.0', ...notRun]);
      expect(run.scenarios.map((s) => s.checks.length)).toEqual([3, 2]);
      for (const id of notRun) expect(checks.find((c) => c.id === id), id).toMatchObject({ status: 'skipped', message: 'not run: the run was interrupted', durationMs: 0 });
      expect(checks.find((c) => c.id === 'second.cors.no-origin')).toMatchObject({ kind: 'cors', case: 'no-origin', severity: 'high', source: { line: 3 } });
      expect(run.totals.byStatus.skipped).toBe(4);
      expect(run.verdict.exitCode).toBe(130);

      for (const id of notRun) expect(result.stdout).toMatch(new RegExp(`- skipped high +${id.replace('.', '\\.')} `));
      expect(result.stdout).toContain('4 skipped');
      const junit = readFileSync(join(out, 'gauntlet-junit.xml'), 'utf8');
      expect(junit).toContain('<testsuites name="gauntlet" tests="5"');
      // A case filed under OWASP and CWE carries them as properties before its verdict.
      for (const id of notRun) expect(junit).toMatch(new RegExp(`name="${id.replaceAll('.', '\\.')}: [^"]*"[^>]*>\\s*(<properties>.*</properties>\\s*)?<skipped message="not run: the run was interrupted"/>`));
      const sarif = JSON.parse(readFileSync(join(out, 'gauntlet.sarif'), 'utf8'));
      const notes: { level: string; message: { text: string } }[] = sarif.runs[0].invocations[0].toolExecutionNotifications;
      for (const id of notRun) expect(notes).toContainEqual(expect.objectContaining({ level: 'note', message: { text: `${id} not run: the run was interrupted` } }));
      expect(sarif.runs[0].invocations[0].executionSuccessful).toBe(false);
      const html = readFileSync(join(out, 'gauntlet-report.html'), 'utf8');
      for (const id of notRun) expect(html).toContain(id);
      expect(html.match(/not run: the run was interrupted/g)?.length).toBeGreaterThanOrEqual(notRun.length);
    } finally {
      await silent.close();
    }
  });

  it.each(Object.entries(LONG_CHECKS))('stops %s within 2 s of SIGINT, mid-check, and exits 130', async (name, check) => {
    // Every answer takes 150 ms: each of these checks is still sending when the signal comes.
    const slow = await startTestServer((_req, res) => {
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'), 150);
    });
    try {
      const slug = name.replace(/\W+/g, '-');
      const scenario = dir.file(`${slug}.yaml`, `name: ${slug}\nchecks:\n  - ${check}\n`);
      const profile = dir.file(`${slug}.profile.yaml`, `target: ${slow.url}\nkeys:\n  valid: \${env:INTERRUPT_KEY}\n`);
      const out = join(dir.path, `out-${slug}`);
      const started = Date.now();
      const result = await interruptWhen(['run', scenario, '-p', profile, '--timeout', '5s', '-r', 'console,json', '-o', out], /1 check\(s\)/, 1500, { INTERRUPT_KEY: 'gk_live_interrupt' });
      expect(result.code, result.stderr).toBe(130);
      expect(result.stopMs).toBeLessThan(2000);
      expect(slow.requests.length, 'the check was under way when interrupted').toBeGreaterThan(0);
      const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
      expect(run.interrupted).toBe(true);
      // The check in flight is in the report, whatever it had finished.
      expect(run.totals.checks).toBeGreaterThan(0);
      expect(Date.now() - started).toBeLessThan(15_000);
      const checks = run.scenarios.flatMap((s) => s.checks);
      // Cut short, a load run proves nothing; a rate-limit check still reports every probe it planned.
      if (name === 'load') expect(checks[0]).toMatchObject({ status: 'errored', message: expect.stringContaining('[E_INTERRUPTED]') });
      if (name === 'rate-limit') expect(checks.map((c) => c.case)).toEqual([...PROBES]);
      if (name === 'rate-limit (aimed burst)') {
        expect(checks.map((c) => c.case)).toEqual(['discovery', 'fingerprint', 'forwarded-for']);
        expect(checks.slice(1).map((c) => `${c.case} ${c.status}: ${c.message}`)).toEqual(['fingerprint errored: interrupted before it could conclude [E_INTERRUPTED]', 'forwarded-for skipped: not run: the run was interrupted']);
      }
    } finally {
      await slow.close();
    }
  });

  describe('every kind, interrupted while it waits for a slow HTTPS target', () => {
    let pki: TestPki;
    let slow: Server;
    let url: string;
    let requests = 0;
    beforeAll(async () => {
      pki = await testPki();
      // Asks for a client certificate without insisting, and answers everything after 3 s: every kind is mid-check
      // when the signal comes, waiting on a request.
      slow = createHttpsServer({ key: pki.read('server.key'), cert: pki.read('server.crt'), requestCert: true, rejectUnauthorized: false }, (_req, res) => {
        requests++;
        const timer = setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'), 3000);
        res.on('close', () => clearTimeout(timer));
      });
      slow.on('tlsClientError', () => undefined);
      await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
      url = `https://127.0.0.1:${(slow.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      slow.closeAllConnections();
      await new Promise((resolve) => slow.close(resolve));
      pki.dir.remove();
    });

    it.each(Object.keys(EVERY_KIND))('%s: exit 130 within 2 s, partial report marked interrupted', async (kind) => {
      const scenario = dir.file(`every-${kind}.yaml`, `name: ${kind}\nchecks:\n  - ${EVERY_KIND[kind]}\n`);
      const fragment = readFileSync(pki.path('profile.yaml'), 'utf8').replace(/^target: .*$/m, '');
      // Next to the PKI: the fragment's certificate paths are relative to the profile.
      const profile = pki.path(`every-${kind}.profile.yaml`);
      writeFileSync(profile, everyKindProfile(url, fragment));
      const out = join(dir.path, `every-out-${kind}`);
      const before = requests;
      const result = await interruptWhen(['run', scenario, '-p', profile, '--timeout', '10s', '-r', 'console,json', '-o', out], /1 check\(s\)/, 1500, everyKindEnv());
      expect(result.code, result.stdout + result.stderr).toBe(130);
      expect(result.stopMs).toBeLessThan(2000);
      const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
      expect(run.interrupted).toBe(true);
      expect(run.totals.checks, 'the check in flight is in the report').toBeGreaterThan(0);
      if (kind !== 'tls') expect(requests - before, 'the check was under way when interrupted').toBeGreaterThan(0);
    });
  });

  it('lets the reference server drain an in-flight request before it exits', async () => {
    const child = spawn(process.execPath, [BIN, 'serve'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('serve printed no URL')), 10_000);
      child.stdout.on('data', (d: Buffer) => {
        const match = /http:\/\/127\.0\.0\.1:\d+/.exec(d.toString());
        if (match) (clearTimeout(timer), resolve(match[0]));
      });
    });
    const inFlight = fetch(`${url}/api/slow?ms=800`, { signal: AbortSignal.timeout(10_000) });
    await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGINT');
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ waitedMs: 800 });
    expect(await exited).toBe(0);
    await expect(fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
  });
});

describe('SIGTERM and SIGHUP, as SIGINT', () => {
  const OTHER_SIGNALS = STOP_SIGNALS.filter(([signal]) => signal !== 'SIGINT');

  it.each(OTHER_SIGNALS)('%s stops a run within 2 s, writes the partial report marked interrupted, and exits %i', async (signal, code) => {
    const silent = await startHostile('never-answers');
    try {
      const scenario = dir.file(`slow-${signal}.yaml`, `name: slow\nchecks:\n${[0, 1, 2].map((i) => `  - { id: slow.${i}, kind: http, severity: low, request: { path: /x }, expect: { status: 200 } }`).join('\n')}\n`);
      const out = join(dir.path, `out-${signal}`);
      const result = await interruptWhen(['run', scenario, '--target', silent.url, '--timeout', '60s', '-c', '1', '-r', 'console,json,html', '-o', out], /3 check\(s\)/, 300, {}, signal);
      expect(result.code, result.stderr).toBe(code);
      expect(result.stopMs).toBeLessThan(2000);
      expect(result.stderr).toContain(`interrupted by ${signal}: stopping checks and writing a partial report`);
      expect(result.stdout).toContain(`FAIL: interrupted by ${signal} before all checks ran (exit ${code})`);
      const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
      expect(run.interrupted).toBe(true);
      expect(run.verdict).toEqual({ exitCode: code, summary: `interrupted by ${signal} before all checks ran` });
      expect(run.scenarios.flatMap((s) => s.checks).map((c) => `${c.id} ${c.status}`)).toEqual(['slow.0 errored', 'slow.1 skipped', 'slow.2 skipped']);
      expect(readFileSync(join(out, 'gauntlet-report.html'), 'utf8')).toContain('Interrupted:');
    } finally {
      await silent.close();
    }
  });

  it.each(OTHER_SIGNALS.flatMap(([signal, code]) => ['load', 'rate-limit (aimed burst)'].map((name) => [signal, code, name] as const)))(
    '%s (exit %i) stops a %s check mid-way within 2 s and keeps its partial result',
    async (signal, code, name) => {
      const slow = await startTestServer((_req, res) => {
        setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'), 150);
      });
      try {
        const slug = `${signal}-${name.replace(/\W+/g, '-')}`;
        const scenario = dir.file(`${slug}.yaml`, `name: ${slug}\nchecks:\n  - ${LONG_CHECKS[name]}\n`);
        const out = join(dir.path, `out-${slug}`);
        const result = await interruptWhen(['run', scenario, '--target', slow.url, '--timeout', '5s', '-r', 'console,json', '-o', out], /1 check\(s\)/, 1500, {}, signal);
        expect(result.code, result.stderr).toBe(code);
        expect(result.stopMs).toBeLessThan(2000);
        expect(slow.requests.length, 'the check was under way when interrupted').toBeGreaterThan(0);
        const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
        expect(run.interrupted).toBe(true);
        const checks = run.scenarios.flatMap((s) => s.checks);
        if (name === 'load') expect(checks[0]).toMatchObject({ status: 'errored', message: expect.stringContaining('[E_INTERRUPTED]') });
        else expect(checks.slice(1).map((c) => `${c.case} ${c.status}: ${c.message}`)).toEqual(['fingerprint errored: interrupted before it could conclude [E_INTERRUPTED]', 'forwarded-for skipped: not run: the run was interrupted']);
      } finally {
        await slow.close();
      }
    },
  );

  /** A process that has ended: gone, or a zombie nobody reaps (its parent, script, was killed). */
  const ended = (pid: number) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
    } catch {
      return true;
    }
  };
  const hasScript = process.platform === 'linux' && spawnSync('script', ['--version']).status === 0;

  // The SIGHUP that matters: the terminal went away. Every later write to it fails with EIO, and Node 20 aborts at
  // exit when it cannot restore it. util-linux `script` gives gauntlet a terminal; killing script hangs it up.
  it.skipIf(!hasScript)('a terminal that hangs up: the report is still written, within 2 s, with no crash', async () => {
    const silent = await startHostile('never-answers');
    try {
      const scenario = dir.file('hangup.yaml', `name: hangup\nchecks:\n${[0, 1].map((i) => `  - { id: hangup.${i}, kind: http, severity: low, request: { path: /x }, expect: { status: 200 } }`).join('\n')}\n`);
      const out = join(dir.path, 'out-hangup');
      const pidFile = join(dir.path, 'hangup.pid');
      const stderrFile = join(dir.path, 'hangup.stderr');
      const command = `echo $$ > '${pidFile}'; exec '${process.execPath}' '${BIN}' run '${scenario}' --target ${silent.url} --timeout 60s -c 1 -r console,json -o '${out}' 2> '${stderrFile}'`;
      const terminal = spawn('script', ['-qfec', command, '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
      let shown = '';
      terminal.stdout.on('data', (d) => (shown += d));
      for (const started = Date.now(); !/2 check\(s\)/.test(shown); await new Promise((r) => setTimeout(r, 20))) {
        if (Date.now() - started > 20_000) throw new Error(`gauntlet never started in the terminal: ${shown}`);
      }
      const pid = Number(readFileSync(pidFile, 'utf8'));
      const hungUpAt = Date.now();
      terminal.kill('SIGKILL');
      while (!ended(pid)) {
        if (Date.now() - hungUpAt > 10_000) throw new Error('gauntlet still runs 10 s after its terminal hung up');
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(Date.now() - hungUpAt).toBeLessThan(2000);
      const stderr = readFileSync(stderrFile, 'utf8');
      expect(stderr).toContain('interrupted by SIGHUP: stopping checks');
      expect(stderr).not.toMatch(/EIO|Assertion failed|\n\s+at /);
      const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
      expect(run.interrupted).toBe(true);
      expect(run.verdict.exitCode).toBe(129);
    } finally {
      await silent.close();
    }
  });
});

describe('the demo removes its private keys however it is stopped', () => {
  /** Starts the demo with its own TMPDIR, so the PKI folder it makes there can be watched. */
  function startDemo(name: string) {
    const tmp = join(dir.path, name);
    mkdirSync(tmp);
    const child = spawn(process.execPath, [BIN, 'demo', '-o', join(tmp, 'reports')], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', TMPDIR: tmp } });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const pkiFolders = () => readdirSync(tmp).filter((f) => f.startsWith('gauntlet-demo-pki-'));
    const until = async (what: string, ready: () => boolean) => {
      for (const started = Date.now(); !ready(); await new Promise((r) => setTimeout(r, 10))) {
        if (Date.now() - started > 20_000) throw new Error(`never saw ${what}: ${stderr}`);
      }
    };
    return { child, exited, pkiFolders, until, stderr: () => stderr, stdout: () => stdout };
  }

  it.each(STOP_SIGNALS)('during the setup (%s while the PKI is made)', async (signal, code) => {
    const demo = startDemo(`setup-${signal}`);
    await demo.until('the demo PKI folder', () => demo.pkiFolders().length > 0);
    demo.child.kill(signal);
    expect(await demo.exited, demo.stderr()).toBe(code);
    expect(demo.stderr()).toContain('interrupted: stopping the demo');
    expect(demo.pkiFolders()).toEqual([]);
  });

  it.each(STOP_SIGNALS)('during the run, by a second %s that quits at once', async (signal, code) => {
    const demo = startDemo(`run-${signal}`);
    await demo.until('a finished check', () => /passed /.test(demo.stdout()));
    expect(demo.pkiFolders()).toHaveLength(1);
    demo.child.kill(signal);
    await demo.until('the first interrupt', () => /interrupted( by SIG[A-Z]+)?: stopping checks/.test(demo.stderr()));
    demo.child.kill(signal);
    expect(await demo.exited, demo.stderr()).toBe(code);
    expect(demo.pkiFolders()).toEqual([]);
  });
});
