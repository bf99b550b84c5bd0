import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReferenceServer, type ReferenceServer } from '../../src/reference/server/create-server.js';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { mtlsOptionsFromPki } from '../../src/reference/mtls/material.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { testPki, type TestPki } from '../helpers/pki.js';
import { closedPort, startTestServer } from '../helpers/servers.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

const SCENARIO = join(ROOT, 'test/fixtures/scenarios/every-expectation.yaml');

function byId(run: RunResult): Map<string, CheckResult> {
  return new Map(run.scenarios.flatMap((s) => s.checks).map((c) => [c.id, c]));
}

describe('http kind against the reference server', () => {
  let server: ReferenceServer;
  let out: TempDir;
  let run: RunResult;
  let cli: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    // Body validation (the 415 of exp.form-and-text-bodies) is a part of its own since issue 7.
    server = await createReferenceServer({ validation: {} });
    out = tempDir();
    cli = await runCli(['run', SCENARIO, '--target', server.url, '-r', 'console,json,junit,html', '-o', out.path]);
    run = JSON.parse(readFileSync(join(out.path, 'gauntlet-report.json'), 'utf8'));
  });
  afterAll(async () => {
    await server.close();
    out.remove();
  });

  it('passes every correct expectation type', () => {
    const checks = byId(run);
    for (const id of ['exp.status-code', 'exp.status-list-and-range', 'exp.headers', 'exp.json', 'exp.body', 'exp.latency', 'exp.capture-create', 'exp.capture-use', 'exp.form-and-text-bodies']) {
      expect(checks.get(id), `${id}: ${checks.get(id)?.message}`).toMatchObject({ status: 'passed' });
    }
  });

  it('fails a deliberately wrong expectation, naming each broken expectation', () => {
    const wrong = byId(run).get('exp.deliberately-wrong')!;
    expect(wrong.status).toBe('failed');
    expect(wrong.assertions?.filter((a) => !a.passed).map((a) => a.name)).toEqual(['status', 'json $.count equals']);
    expect(wrong.message).toContain('expected 418, got 200');
  });

  it('skips a skipped check with its reason', () => {
    expect(byId(run).get('exp.skipped')).toMatchObject({ status: 'skipped', message: 'not relevant here' });
  });

  it('exits 1 for the high-severity failure, and 0 when --fail-on is above it', async () => {
    expect(cli.code).toBe(1);
    expect(run.verdict.exitCode).toBe(1);
    const lenient = await runCli(['run', SCENARIO, '--target', server.url, '--fail-on', 'critical', '-o', out.path]);
    expect(lenient.code).toBe(0);
  });

  it('writes JSON with a format version and consistent totals', () => {
    expect(run.formatVersion).toBe(1);
    expect(run.totals).toMatchObject({ checks: 11, byStatus: { passed: 9, failed: 1, errored: 0, skipped: 1 } });
    expect(run.totals.findingsBySeverity.high).toBe(1);
    expect(byId(run).get('exp.json')!.source).toMatchObject({ file: expect.stringContaining('every-expectation.yaml'), line: 29, col: 5 });
  });

  it('writes JUnit XML that parses, with a failure, a skip, and per-suite counts', () => {
    const xml = readFileSync(join(out.path, 'gauntlet-junit.xml'), 'utf8');
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    const suite = doc.testsuites.testsuite;
    expect(suite).toMatchObject({ name: 'every expectation', tests: '11', failures: '1', errors: '0', skipped: '1' });
    const cases = suite.testcase as { name: string; failure?: { message: string }; skipped?: unknown }[];
    expect(cases).toHaveLength(11);
    expect(cases.find((c) => c.name.startsWith('exp.deliberately-wrong'))!.failure!.message).toContain('418');
    expect(cases.find((c) => c.name.startsWith('exp.skipped'))!.skipped).toBeDefined();
  });

  it('writes a self-contained HTML report with the same counts', () => {
    const html = readFileSync(join(out.path, 'gauntlet-report.html'), 'utf8');
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#x27;none&#x27;|default-src 'none'/);
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?https?:/i);
    expect(html).toContain('data-count="passed">9<');
    expect(html).toContain('data-count="failed">1<');
    expect(html).toContain('data-count="skipped">1<');
    for (const id of byId(run).keys()) expect(html).toContain(`data-id="${id}"`);
  });

  it('prints a line per check and the verdict on the console', () => {
    expect(cli.stdout).toMatch(/✗ failed\s+high\s+exp\.deliberately-wrong/);
    expect(cli.stdout).toMatch(/- skipped\s+low\s+exp\.skipped/);
    expect(cli.stdout).toContain('FAIL: 1 failed at or above severity info (exit 1)');
  });

  it('runs only the checks --only selects', async () => {
    const selected = await runCli(['run', SCENARIO, '--target', server.url, '--only', 'exp.status-*', '-r', 'json', '-o', out.path]);
    expect(selected.code).toBe(0);
    const result: RunResult = JSON.parse(readFileSync(join(out.path, 'gauntlet-report.json'), 'utf8'));
    expect([...byId(result).keys()]).toEqual(['exp.status-code', 'exp.status-list-and-range']);
  });
});

describe('http request bodies and latency, against a server that echoes what it got', () => {
  it('sends text and form bodies with their content types, and fails an answer slower than maxLatencyMs', async () => {
    const echo = await startTestServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const reply = () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ contentType: req.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') }));
        if (req.url === '/slow') setTimeout(reply, 300);
        else reply();
      });
    });
    const out = tempDir();
    try {
      const scenario = out.file(
        'bodies.yaml',
        `name: bodies
checks:
  - { id: b.text, kind: http, severity: low, request: { method: POST, path: /, body: { text: "plain words" } }, expect: { json: { $.contentType: "text/plain; charset=utf-8", $.body: "plain words" } } }
  - { id: b.form, kind: http, severity: low, request: { method: PUT, path: /, body: { form: { name: Ada Lovelace, n: 1 } } }, expect: { json: { $.contentType: application/x-www-form-urlencoded, $.body: name=Ada+Lovelace&n=1 } } }
  - { id: b.slow, kind: http, severity: low, request: { path: /slow }, expect: { status: 200, maxLatencyMs: 50 } }
`,
      );
      await runCli(['run', scenario, '--target', echo.url, '-r', 'json', '-o', out.path]);
      const checks = byId(JSON.parse(readFileSync(join(out.path, 'gauntlet-report.json'), 'utf8')));
      expect(checks.get('b.text'), checks.get('b.text')?.message).toMatchObject({ status: 'passed' });
      expect(checks.get('b.form'), checks.get('b.form')?.message).toMatchObject({ status: 'passed' });
      const slow = checks.get('b.slow')!;
      expect(slow.status).toBe('failed');
      expect(slow.assertions!.filter((a) => !a.passed).map((a) => a.name)).toEqual([expect.stringMatching(/latency/i)]);
    } finally {
      await echo.close();
      out.remove();
    }
  });
});

describe('transport failures', () => {
  it('marks checks against a closed port errored (refused) and exits 3', async () => {
    const out = tempDir();
    try {
      const port = await closedPort();
      const cli = await runCli(['run', SCENARIO, '--target', `http://127.0.0.1:${port}`, '-r', 'json', '-o', out.path, '--only', 'exp.status-code', '--only', 'exp.body']);
      expect(cli.code).toBe(3);
      const run: RunResult = JSON.parse(readFileSync(join(out.path, 'gauntlet-report.json'), 'utf8'));
      const checks = [...byId(run).values()];
      expect(checks).toHaveLength(2);
      for (const check of checks) expect(check).toMatchObject({ status: 'errored', transport: 'refused' });
      // The run stops at the first refusal: the request that met it is kept as evidence, and no other was sent.
      const exchanges = checks.flatMap((c) => c.evidence.exchanges ?? []);
      expect(exchanges).toHaveLength(1);
      expect(exchanges[0]!.transport).toMatchObject({ class: 'refused', code: 'ECONNREFUSED' });
    } finally {
      out.remove();
    }
  });

  it('exits 3 for the whole built-in scenario library against a closed port (capture chains do not hide it)', async () => {
    const out = tempDir();
    try {
      const port = await closedPort();
      const cli = await runCli(['run', 'scenarios', '--target', `https://127.0.0.1:${port}`, '-r', 'json', '-o', out.path], { timeoutMs: 60_000 });
      expect(cli.code, cli.stderr).toBe(3);
      const run: RunResult = JSON.parse(readFileSync(join(out.path, 'gauntlet-report.json'), 'utf8'));
      const statuses = new Set([...byId(run).values()].map((c) => c.status));
      expect([...statuses].every((s) => s === 'errored' || s === 'skipped')).toBe(true);
    } finally {
      out.remove();
    }
  });

  it('times out a request that never answers, within the --timeout, and JUnit reports it as an error', async () => {
    const { startTestServer } = await import('../helpers/servers.js');
    const silent = await startTestServer(() => undefined);
    const out = tempDir();
    try {
      const started = Date.now();
      const cli = await runCli(['run', SCENARIO, '--target', silent.url, '--timeout', '300ms', '-r', 'json,junit', '-o', out.path, '--only', 'exp.status-code']);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(cli.code).toBe(3);
      const run: RunResult = JSON.parse(readFileSync(join(out.path, 'gauntlet-report.json'), 'utf8'));
      const check = byId(run).get('exp.status-code')!;
      expect(check).toMatchObject({ status: 'errored', transport: 'timeout' });

      // A CI server shows an errored check as an error, not as a failure or a pass.
      const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(readFileSync(join(out.path, 'gauntlet-junit.xml'), 'utf8'));
      expect(junit.testsuites).toMatchObject({ tests: '1', failures: '0', errors: '1', skipped: '0' });
      const testcase = junit.testsuites.testsuite.testcase;
      expect(testcase.failure).toBeUndefined();
      expect(testcase.error).toMatchObject({ type: 'timeout', message: check.message });
      expect(testcase.error['#text']).toContain(`severity: ${check.severity}`);
      expect(testcase.error['#text']).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/api\/data -> timeout \(GAUNTLET_TIMEOUT\)/);
    } finally {
      await silent.close();
      out.remove();
    }
  });
});

describe('tls expectations', () => {
  let pki: TestPki;
  let server: ReferenceServer;
  beforeAll(async () => {
    pki = await testPki();
    server = await createReferenceServer({ mtls: mtlsOptionsFromPki(pki.dir.path, 'required') });
  });
  afterAll(async () => {
    await server.close();
    pki.dir.remove();
  });

  it('passes tls: rejected without a client certificate and tls: accepted with one', async () => {
    const profile = pki.dir.file(
      'profile.yaml',
      `target: ${server.url}\ntls:\n  ca: ca.crt\n  identities:\n    valid: { cert: client-valid.crt, key: client-valid.key }\n`,
    );
    const scenario = pki.dir.file(
      'tls.yaml',
      `name: tls
checks:
  - id: tls.no-cert
    kind: http
    severity: high
    request: { path: /api/data, identity: none }
    expect: { tls: rejected }
  - id: tls.with-cert
    kind: http
    severity: high
    request: { path: /api/data, identity: valid }
    expect: { tls: accepted, status: 200 }
  - id: tls.wrongly-expects-rejection
    kind: http
    severity: high
    request: { path: /api/data, identity: valid }
    expect: { tls: rejected }
`,
    );
    const cli = await runCli(['run', scenario, '-p', profile, '-r', 'json', '-o', pki.dir.path]);
    const run: RunResult = JSON.parse(readFileSync(join(pki.dir.path, 'gauntlet-report.json'), 'utf8'));
    const checks = byId(run);
    expect(checks.get('tls.no-cert'), checks.get('tls.no-cert')?.message).toMatchObject({ status: 'passed' });
    expect(checks.get('tls.with-cert'), checks.get('tls.with-cert')?.message).toMatchObject({ status: 'passed' });
    expect(checks.get('tls.with-cert')!.evidence.exchanges![0]!.tls).toMatchObject({ protocol: expect.stringMatching(/^TLSv1\.[23]$/) });
    expect(checks.get('tls.wrongly-expects-rejection')).toMatchObject({ status: 'failed' });
    expect(cli.code).toBe(1);
    expect(JSON.stringify(run)).not.toContain(pki.read('client-valid.key').split('\n')[1]);
  });

  it('errors (not passes) when the server certificate is not trusted', async () => {
    const profile = pki.dir.file('untrusting.yaml', `target: ${server.url}\n`);
    const scenario = pki.dir.file(
      'rej.yaml',
      `name: rej\nchecks:\n  - { id: t.rej, kind: http, severity: high, request: { path: /api/data }, expect: { tls: rejected } }\n`,
    );
    const cli = await runCli(['run', scenario, '-p', profile, '-r', 'json', '-o', pki.dir.path]);
    const run: RunResult = JSON.parse(readFileSync(join(pki.dir.path, 'gauntlet-report.json'), 'utf8'));
    expect(byId(run).get('t.rej')).toMatchObject({ status: 'errored', transport: 'tls-verify-failed' });
    expect(cli.code).toBe(3);
  });
});
