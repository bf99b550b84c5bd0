import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_KINDS, kindByName } from '../../src/checks/index.js';
import { THROTTLE_ALLOWANCE_MS } from '../../src/engine/throttle.js';
import { createReporters } from '../../src/report/create-reporters.js';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { SecretRegistry } from '../../src/results/secrets.js';
import { runScenarios } from '../../src/runner/run.js';
import { watchdogMs } from '../../src/runner/run-check.js';
import { loadProfile } from '../../src/scenario/load-profile.js';
import { loadScenarios } from '../../src/scenario/load-scenarios.js';
import type { LoadedScenario, TargetProfile } from '../../src/scenario/types.js';
import { badServerCertificates } from '../helpers/bad-server-certificates.js';
import { runCli } from '../helpers/cli.js';
import { everyKindEnv, everyKindProfile } from '../helpers/every-kind.js';
import { plainResponse, responseCase, responseCaseOf, type ResponseCase } from '../helpers/generated-responses.js';
import { testPki, type TestPki } from '../helpers/pki.js';
import { startScriptedServer, type ScriptedServer } from '../helpers/scripted-server.js';
import { SMALL_EVERY_KIND, smallChecks } from '../helpers/small-every-kind.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

/**
 * The response fuzzer: every check kind against generated raw HTTP/1.1 responses (see generated-responses.ts), over
 * plain TCP, TLS, and TLS a client must refuse (a certificate for another host, expired, self-signed, a handshake cut
 * short). Whatever the target sends, every planned check ends passed, failed, errored or skipped within its bound,
 * nothing throws or goes unhandled, and no result or report holds "internal error" or a stack trace.
 *
 * More cases: GAUNTLET_FUZZ_RUNS=5000 (in all, shared among the kinds as in CI). A failure names the kind in the
 * test's name and prints the seed, the path and the case; replay it with GAUNTLET_FUZZ_SEED=<seed>
 * GAUNTLET_FUZZ_PATH=<path> and `-t '<kind>:'` (`-t 'the CLI'` for the CLI runs): the same responses again, though
 * not their timing. GAUNTLET_FUZZ_SHRINK=1 shrinks a failure to a smaller case (slow: each try is a whole check run).
 * The CLI runs use dist/: `npm run build` first.
 */

/** The per-request deadline: short, so a response that never finishes costs little. */
const TIMEOUT_MS = 300;

/** Cases per kind in CI, in proportion to what a case of the kind costs (a rate-limit check makes hundreds of requests). */
const CI_RUNS: Record<string, number> = {
  http: 60,
  mtls: 30,
  tls: 35,
  'api-key': 30,
  'api-key-timing': 30,
  cors: 25,
  headers: 30,
  input: 35,
  versioning: 35,
  signing: 30,
  'ip-restriction': 35,
  'rate-limit': 18,
  load: 20,
  methods: 20,
  bola: 15,
  bfla: 15,
  'mass-assignment': 15,
};

const TRANSPORTS = ['plain', 'tls', 'tls-wrong-host', 'tls-expired', 'tls-self-signed', 'tls-cut-handshake'] as const;
type Transport = (typeof TRANSPORTS)[number];

/** Mostly plain and sound TLS, where the generated response is what the check meets. */
const transport = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Transport>('plain') },
  { weight: 3, arbitrary: fc.constant<Transport>('tls') },
  { weight: 1, arbitrary: fc.constantFrom<Transport>('tls-wrong-host', 'tls-expired', 'tls-self-signed', 'tls-cut-handshake') },
);
/** Kinds that dial TLS themselves: over plain HTTP they have little to do. */
const DIALS_TLS = new Set(['mtls', 'tls']);
const tlsTransport = fc.oneof(
  { weight: 1, arbitrary: fc.constant<Transport>('plain') },
  { weight: 6, arbitrary: fc.constant<Transport>('tls') },
  { weight: 3, arbitrary: fc.constantFrom<Transport>('tls-wrong-host', 'tls-expired', 'tls-self-signed', 'tls-cut-handshake') },
);

/** Whole CLI runs (every kind at once) in CI. */
const CLI_RUNS = 3;

/** `ciCount` cases, or its share of GAUNTLET_FUZZ_RUNS (cases in all, shared as in CI) when that is set. */
function scaled(ciCount: number): number {
  const total = Number(process.env.GAUNTLET_FUZZ_RUNS);
  if (!total) return ciCount;
  const ciTotal = Object.values(CI_RUNS).reduce((a, b) => a + b, 0);
  return Math.max(1, Math.round((total * ciCount) / ciTotal));
}

/** A stack frame as V8 prints it (a script file at a line and column), or a path only a stack trace would name. */
const STACK_TRACE = /\bat (?:async )?(?:[^\s()]+ \()?(?:file:\/\/|node:|\/|[A-Z]:\\)[^\s()]*\.(?:[cm]?js|ts):\d+:\d+|node:internal|\bdist\/[\w/-]+\.js|\bsrc\/[\w/-]+\.ts/;
/**
 * What the runner says of a bug in a check (an internal error, a watchdog stop, no result at all), and what a
 * dependency's bug looks like when it leaks into a message (an assertion, a failure with no known cause).
 */
const INTERNAL = /internal error|is a bug in|ran past its time bound|returned no result|AssertionError|evaluated to a falsy value|\(UNKNOWN\)/i;

/** A bug's trace in a whole report or output stream: an internal error, an unhandled one, an assertion's text. */
const LEAKED = /internal error|unhandled|AssertionError|evaluated to a falsy value/i;

/** The first match of `pattern` in `text`, with some context around it (undefined when none). */
function excerpt(text: string, pattern: RegExp): string | undefined {
  const match = pattern.exec(text);
  return match ? JSON.stringify(text.slice(Math.max(0, match.index - 200), match.index + match[0].length + 200)) : undefined;
}
const STATUSES = ['passed', 'failed', 'errored', 'skipped'];

interface Target {
  server: ScriptedServer;
  profileFile: string;
  scenarios: Map<string, LoadedScenario>;
}

describe('every check kind against generated responses', () => {
  let dir: TempDir;
  let pki: TestPki;
  const targets = new Map<Transport, Target>();
  const env = { ...process.env, ...everyKindEnv() };
  const unhandled: unknown[] = [];
  const onUnhandled = (error: unknown) => unhandled.push(error);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    process.on('uncaughtException', onUnhandled);
    dir = tempDir('gauntlet-fuzz-');
    pki = await testPki();
    const bad = await badServerCertificates();
    // The profile trusts the test CA and the CA that issued the wrong-host and expired certificates.
    writeFileSync(pki.path('fuzz-ca.crt'), pki.read('ca.crt') + bad.caPem);
    const fragment = readFileSync(pki.path('profile.yaml'), 'utf8').replace(/^target: .*$/m, '').replace('ca: ca.crt', 'ca: fuzz-ca.crt');
    const good = { key: pki.read('server.key'), cert: pki.read('server.crt'), requestCert: true };
    const servers: Record<Transport, () => Promise<ScriptedServer>> = {
      plain: () => startScriptedServer({ plain: true }),
      tls: () => startScriptedServer({ tls: good }),
      'tls-wrong-host': () => startScriptedServer({ tls: bad.wrongHost }),
      'tls-expired': () => startScriptedServer({ tls: bad.expired }),
      'tls-self-signed': () => startScriptedServer({ tls: bad.selfSigned }),
      'tls-cut-handshake': () => startScriptedServer({ cutHandshake: good }),
    };
    for (const { name, check } of smallChecks()) dir.file(`scenarios/${name}.yaml`, `name: ${name}\nchecks:\n  - ${check}\n`);
    for (const name of TRANSPORTS) {
      const server = await servers[name]();
      const profileFile = pki.dir.file(`fuzz-${name}.yaml`, everyKindProfile(server.url, fragment));
      const loaded = loadScenarios([join(dir.path, 'scenarios')], { kinds: CHECK_KINDS, profile: profileOf(profileFile).profile, env });
      targets.set(name, { server, profileFile, scenarios: new Map(loaded.map((s) => [s.name, s])) });
    }
  }, 120_000);

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    process.off('uncaughtException', onUnhandled);
    await Promise.all([...targets.values()].map((t) => t.server.close()));
    pki?.dir.remove();
    dir?.remove();
  });

  /**
   * The profile and its secrets, loaded afresh for each case: a key one case's target issued is a secret of that
   * run only, and must not change what the next case redacts.
   */
  function profileOf(file: string): { profile: TargetProfile; secrets: SecretRegistry } {
    const secrets = new SecretRegistry();
    return { profile: loadProfile(file, { kinds: CHECK_KINDS, secrets, env }), secrets };
  }

  it('covers every registered kind', () => {
    expect(Object.keys(SMALL_EVERY_KIND).sort()).toEqual(CHECK_KINDS.map((k) => k.kind).sort());
    expect(Object.keys(CI_RUNS).sort()).toEqual(CHECK_KINDS.map((k) => k.kind).sort());
  });

  /** Runs the scenario's one check against the case, writes every report, and holds the property. */
  async function holds(name: string, via: Transport, played: ResponseCase): Promise<void> {
    const target = targets.get(via)!;
    const { profile, secrets } = profileOf(target.profileFile);
    const scenario = target.scenarios.get(name)!;
    const check = scenario.checks[0]!;
    const kind = check.spec.kind;
    const bounds = kindByName(kind)!.bounds(check.spec as never, { timeoutMs: TIMEOUT_MS, profile });
    target.server.play(played);
    const out = join(dir.path, 'reports', kind);
    let printed = '';
    const stdout = Object.assign(new Writable({ write: (chunk, _encoding, done) => ((printed += chunk), done()) }), { isTTY: false, columns: 120 });
    const reporters = createReporters(['console', 'json', 'junit', 'html', 'sarif'], { outputDir: out, stdout, verbose: true });
    const unhandledBefore = unhandled.length;

    const started = performance.now();
    const run: RunResult = await runScenarios({ profile, scenarios: [scenario], failOn: 'info', timeoutMs: TIMEOUT_MS, concurrency: 1, vars: {}, secrets, reporters, allowLoad: true });
    const elapsedMs = performance.now() - started;
    for (const reporter of reporters) await reporter.onRunEnd?.(run);

    const results: CheckResult[] = run.scenarios.flatMap((s) => s.checks);
    const summary = `${check.spec.id} over ${via}, ${target.server.requests} requests answered, ${Math.round(elapsedMs)}ms:\n${results.map((r) => `  ${r.id}: ${r.status}: ${r.message}`).join('\n')}`;
    expect(results.length, summary).toBeGreaterThan(0);
    const planned = kindByName(kind)!.plannedCases?.(check.spec as never, { timeoutMs: TIMEOUT_MS, profile }) ?? [];
    for (const c of planned) expect(results.map((r) => r.id), summary).toContain(`${check.spec.id}.${c.suffix}`);
    for (const result of results) {
      expect(STATUSES, summary).toContain(result.status);
      expect(excerpt(result.message, INTERNAL), summary).toBeUndefined();
      expect(excerpt(JSON.stringify(result), STACK_TRACE), summary).toBeUndefined();
    }
    // The watchdog grows a check's bound by the harness's waits for 429s; past it, the check would say so above.
    const throttled = results.some((r) => /throttled: /.test(JSON.stringify(r.evidence)));
    expect(elapsedMs, summary).toBeLessThan(watchdogMs(bounds) + (throttled ? THROTTLE_ALLOWANCE_MS + TIMEOUT_MS * bounds.requests : 0) + 2000);
    expect(unhandled.slice(unhandledBefore), summary).toEqual([]);

    const reports = readdirSync(out).map((file) => [file, readFileSync(join(out, file), 'utf8')]);
    for (const [file, text] of [...reports, ['console output', printed]]) {
      expect(excerpt(text!, STACK_TRACE), `${file}: ${summary}`).toBeUndefined();
      expect(excerpt(text!, LEAKED), `${file}: ${summary}`).toBeUndefined();
    }
  }

  const replay = { seed: process.env.GAUNTLET_FUZZ_SEED ? Number(process.env.GAUNTLET_FUZZ_SEED) : undefined, path: process.env.GAUNTLET_FUZZ_PATH || undefined };
  const shrink = process.env.GAUNTLET_FUZZ_SHRINK === '1';
  // Each TLS variant, with a plain answer behind it, before the generated cases: every kind meets every one in CI.
  const examples = (kind: string): [string, Transport, ResponseCase][] => TRANSPORTS.filter((t) => t !== 'plain').map((t) => [kind, t, responseCaseOf([plainResponse()], 0)]);

  /** A few whole runs through the CLI, every kind at once: exit code, stdout, stderr and every report file. */
  async function cliHolds(via: Transport, played: ResponseCase): Promise<void> {
    const target = targets.get(via)!;
    target.server.play(played);
    const out = join(dir.path, 'cli-reports');
    rmSync(out, { recursive: true, force: true });
    const cli = await runCli(['run', join(dir.path, 'scenarios'), '-p', target.profileFile, '--timeout', `${TIMEOUT_MS}ms`, '-c', '4', '-r', 'console,json,junit,html,sarif', '-o', out], {
      env: everyKindEnv(),
      timeoutMs: 300_000,
    });
    const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
    const results = run.scenarios.flatMap((s) => s.checks);
    const summary = `gauntlet run over ${via}: exit ${cli.code} in ${Math.round(cli.durationMs)}ms\n${results.map((r) => `  ${r.id}: ${r.status}: ${r.message}`).join('\n')}\n${cli.stderr.slice(0, 2000)}`;
    expect([0, 1, 3], summary).toContain(cli.code);
    expect(new Set(results.map((r) => r.scenario)), summary).toEqual(new Set(smallChecks().map((c) => c.name)));
    for (const result of results) {
      expect(STATUSES, summary).toContain(result.status);
      expect(excerpt(result.message, INTERNAL), summary).toBeUndefined();
    }
    const reports = readdirSync(out).map((file) => [file, readFileSync(join(out, file), 'utf8')]);
    expect(reports.map(([file]) => file).sort(), summary).toEqual(['gauntlet-junit.xml', 'gauntlet-report.html', 'gauntlet-report.json', 'gauntlet.sarif']);
    for (const [file, text] of [...reports, ['stdout', cli.stdout], ['stderr', cli.stderr]]) {
      expect(excerpt(text!, STACK_TRACE), `${file}: ${summary}`).toBeUndefined();
      expect(excerpt(text!, LEAKED), `${file}: ${summary}`).toBeUndefined();
    }
  }

  it('the CLI, every kind at once: exits 0, 1 or 3, with every report written and no internal error or stack trace anywhere', async () => {
    await fc.assert(fc.asyncProperty(transport, responseCase, cliHolds), { numRuns: scaled(CLI_RUNS), endOnFailure: !shrink, ...replay });
  }, 3_600_000);

  it.each(CHECK_KINDS.map((k) => k.kind))('%s: ends passed, failed, errored or skipped, within its bound, with no internal error or stack trace', async (kind) => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...smallChecks().filter((c) => c.kind === kind).map((c) => c.name)), DIALS_TLS.has(kind) ? tlsTransport : transport, responseCase, holds),
      { numRuns: scaled(CI_RUNS[kind]!), examples: replay.path ? [] : examples(kind), endOnFailure: !shrink, ...replay },
    );
  }, 3_600_000);
});
