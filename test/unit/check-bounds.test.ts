import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendsLoad } from '../../src/checks/bounds.js';
import type { CheckKind } from '../../src/checks/types.js';
import { HttpClient } from '../../src/engine/http-client.js';
import { RequestBudget, UNANSWERED_LIMIT } from '../../src/engine/request-budget.js';
import type { Exchange } from '../../src/results/model.js';
import { SecretRegistry } from '../../src/results/secrets.js';
import { runCheck, type CheckRunEnv } from '../../src/runner/run-check.js';
import { profileFromTarget } from '../../src/scenario/load-profile.js';
import type { LoadedCheck } from '../../src/scenario/types.js';
import { startTestServer, type TestServer } from '../helpers/servers.js';

const answered = { request: { method: 'GET', url: 'http://127.0.0.1/', headers: {} }, timings: { startedAt: '', totalMs: 1 }, response: { status: 200, headers: {}, body: '' } } as unknown as Exchange;
const timedOut = { ...answered, response: undefined, transport: { class: 'timeout', code: 'GAUNTLET_TIMEOUT', message: 'no answer' } } as unknown as Exchange;

describe('RequestBudget', () => {
  it('stops a kind that sends more than its declared bound', () => {
    const budget = new RequestBudget(3);
    for (let i = 0; i < 3; i++) expect(budget.admit()).toBeUndefined();
    expect(() => budget.admit()).toThrow(/more than its bound of 3 requests/);
  });

  it(`sends nothing more after ${UNANSWERED_LIMIT} unanswered requests in a row, and resets on an answer`, () => {
    const budget = new RequestBudget(100);
    budget.admit();
    budget.record(timedOut);
    budget.admit();
    budget.record(answered);
    budget.admit();
    budget.record(timedOut);
    budget.admit();
    budget.record(timedOut);
    expect(budget.admit()).toMatchObject({ class: 'timeout', code: 'GAUNTLET_NOT_SENT' });
    expect(budget.count).toBe(4);
  });
});

describe('runCheck enforces the bounds a kind declares', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer((_req, res) => res.end('{}'));
  });
  afterAll(() => server.close());

  function env(pace?: number): CheckRunEnv {
    const profile = { ...profileFromTarget(server.url), pace };
    const secrets = new SecretRegistry();
    return { profile, secrets, http: new HttpClient(profile, { timeoutMs: 1000, bodyCapBytes: 1024 }, secrets), signal: new AbortController().signal, timeoutMs: 1000, allowLoad: false, onProgress: () => undefined };
  }
  const loaded: LoadedCheck = { spec: { id: 'fake.check', kind: 'fake', severity: 'low' }, source: { file: 'fake.yaml', line: 1, col: 1 }, scenarioFile: 'fake.yaml' } as LoadedCheck;

  function fakeKind(requests: number, durationMs: number, run: CheckKind['run']): CheckKind {
    return { kind: 'fake', description: 'fake', properties: {}, defaultTitle: () => 'fake', bounds: () => ({ requests, durationMs }), run } as unknown as CheckKind;
  }

  it('errors a check that runs past its time bound, and stops waiting for it', async () => {
    let sawAbort = false;
    const kind = fakeKind(1, 100, async (ctx) => {
      await sleep(60_000, undefined, { signal: ctx.signal }).catch(() => (sawAbort = true));
      await sleep(60_000);
      return [];
    });
    const started = performance.now();
    const [result] = await runCheck(kind, loaded, 'fake', new Map(), env());
    expect(result).toMatchObject({ status: 'errored' });
    expect(result!.message).toMatch(/ran past its time bound of 100ms/);
    expect(sawAbort).toBe(true);
    // The bound, the watchdog's 2 s grace, and 2 s for the check to return.
    expect(performance.now() - started).toBeLessThan(6000);
  });

  // Found by the response fuzzer: a signing check the watchdog stopped reported its cut requests as "request
  // aborted: the run was interrupted", and since every case had a result, nothing said it ran past its bound.
  it('says of requests the watchdog cut that the check ran past its bound, not that the run was interrupted', async () => {
    const silent = createNetServer((socket) => socket.on('error', () => undefined));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const kind = fakeKind(1, 100, async (ctx) => {
        const { exchange } = await ctx.http.send({ method: 'GET', path: '/', baseUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, timeoutMs: 30_000 });
        return [{ idSuffix: 'only', status: 'errored', message: `${exchange.transport?.message}`, evidence: {} }];
      });
      const [result] = await runCheck(kind, loaded, 'fake', new Map(), env());
      expect(result!.message).toBe('request aborted: the check ran past its time bound');
    } finally {
      silent.close();
    }
  });

  it("grows a check's time bound by the turns its requests waited for the profile's pace", async () => {
    // Four requests at one a second take 3 s: past the kind's 100 ms and the watchdog's 2 s grace, all of it pace.
    const before = server.requests.length;
    const kind = fakeKind(4, 100, async (ctx) => {
      for (let i = 0; i < 4; i++) await ctx.http.send({ method: 'GET', path: '/' });
      return [{ status: 'passed', message: 'sent four', evidence: {} }];
    });
    const [result] = await runCheck(kind, loaded, 'fake', new Map(), env(1));
    expect(result, result!.message).toMatchObject({ status: 'passed' });
    expect(result!.durationMs).toBeGreaterThanOrEqual(2900);
    expect(server.requests.length - before).toBe(4);
  });

  it('still stops a paced check that overruns on its own, naming what the pace added', async () => {
    const kind = fakeKind(2, 100, async (ctx) => {
      for (let i = 0; i < 2; i++) await ctx.http.send({ method: 'GET', path: '/' });
      await sleep(60_000, undefined, { signal: ctx.signal }).catch(() => undefined);
      return [];
    });
    const [result] = await runCheck(kind, loaded, 'fake', new Map(), env(1));
    expect(result).toMatchObject({ status: 'errored' });
    expect(result!.message).toMatch(/ran past its time bound of 100ms \(2 requests at their deadline, plus its own waits, grown by the (9\d\dms|1\.\d\ds) gauntlet waited for it \(pace, 429s\)\)/);
  });

  it('errors a check that sends more requests than its bound, having sent only the bound', async () => {
    const before = server.requests.length;
    const kind = fakeKind(2, 5000, async (ctx) => {
      for (let i = 0; i < 5; i++) await ctx.http.send({ method: 'GET', path: '/' });
      return [{ status: 'passed', message: 'sent five', evidence: {} }];
    });
    const [result] = await runCheck(kind, loaded, 'fake', new Map(), env());
    expect(result).toMatchObject({ status: 'errored' });
    expect(result!.message).toMatch(/more than its bound of 2 requests/);
    expect(server.requests.length - before).toBe(2);
  });

  it('refuses a check whose bounds are load, to a host outside loopback, before it sends anything', async () => {
    const before = server.requests.length;
    const kind = fakeKind(500, 5000, async (ctx) => {
      await ctx.http.send({ method: 'GET', path: '/' });
      return [];
    });
    expect(sendsLoad({ requests: 500, durationMs: 5000 })).toBe(true);
    const [result] = await runCheck(kind, loaded, 'fake', new Map(), { ...env(), isLoopback: () => false });
    expect(result!.message).toMatch(/refusing to send up to 500 requests \(more than a handful\) to http:\/\/127\.0\.0\.1:\d+/);
    expect(server.requests.length - before).toBe(0);
  });
});
