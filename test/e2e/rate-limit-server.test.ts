import { parseList } from 'structured-headers';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlgorithmName } from '../../src/reference/limiters/algorithms/types.js';
import { createLimiterStore } from '../../src/reference/limiters/create-store.js';
import type { Limiter } from '../../src/reference/limiters/limiter.js';
import { clientKey } from '../../src/reference/limiters/rate-limit-part.js';
import { createReferenceServer, type ReferenceServer } from '../../src/reference/server/create-server.js';
import type { RequestContext } from '../../src/reference/server/http-types.js';
import { httpGet } from '../helpers/http-get.js';

const open: { server: ReferenceServer; limiter: Limiter }[] = [];
afterEach(async () => {
  for (const { server, limiter } of open.splice(0)) {
    await server.close();
    await limiter.close();
  }
});

interface Setup {
  algorithm: AlgorithmName;
  limit: number;
  windowMs: number;
  flaws?: string[];
  clock?: { now: number };
}

async function serve(setup: Setup): Promise<string> {
  const flaws = setup.flaws ?? [];
  const clock = setup.clock;
  const { limiter } = await createLimiterStore(
    { algorithm: setup.algorithm, policies: [{ limit: setup.limit, windowMs: setup.windowMs }], clock: clock ? () => clock.now : undefined },
    new Set(flaws),
  );
  const server = await createReferenceServer({ flaws, limiter: { limiter } });
  open.push({ server, limiter });
  return server.url;
}

const remainingOf = (headers: Record<string, unknown>) => {
  const [item] = parseList(String(headers.ratelimit));
  return Number((item![1] as Map<string, unknown>).get('r'));
};

describe('the reference server with a rate limiter', () => {
  it('answers 429 with a quota-exceeded problem, truthful headers and a Retry-After that is never early', async () => {
    const url = await serve({ algorithm: 'fixed-window-anchored', limit: 3, windowMs: 1000 });
    const admitted = [];
    for (let i = 0; i < 3; i++) admitted.push(await httpGet(`${url}/api/data`));
    expect(admitted.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(admitted.map((r) => remainingOf(r.headers))).toEqual([2, 1, 0]);
    expect(admitted.map((r) => r.headers['x-ratelimit-remaining'])).toEqual(['2', '1', '0']);
    const policy = parseList(String(admitted[0]!.headers['ratelimit-policy']));
    expect(policy.map(([name, params]) => [name, Object.fromEntries(params as Map<string, unknown>)])).toEqual([['default', { q: 3, w: 1 }]]);
    expect(Number(admitted[0]!.headers['x-ratelimit-reset'])).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000));

    const refused = await httpGet(`${url}/api/data`);
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = JSON.parse(refused.body);
    expect(problem).toMatchObject({ type: 'https://gauntlet.dev/problems/quota-exceeded', status: 429, policy: 'default' });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
    expect((await httpGet(`${url}/api/data`)).status).toBe(200);
  });

  it('limits each client address separately and leaves public routes alone', async () => {
    const url = await serve({ algorithm: 'sliding-log', limit: 2, windowMs: 60_000 });
    const from = async (address: string) => (await httpGet(`${url}/api/data`, { localAddress: address })).status;
    expect([await from('127.0.0.1'), await from('127.0.0.1'), await from('127.0.0.1')]).toEqual([200, 200, 429]);
    expect([await from('127.0.0.2'), await from('127.0.0.2'), await from('127.0.0.2')]).toEqual([200, 200, 429]);
    const health = await httpGet(`${url}/health`);
    expect(health.status).toBe(200);
    expect(health.headers.ratelimit).toBeUndefined();
  });

  it('keys on the principal, else the verified client identity, else the remote address', () => {
    const ctx = (extra: Partial<RequestContext>) => ({ req: { socket: { remoteAddress: '127.0.0.9' } }, locals: {}, ...extra }) as unknown as RequestContext;
    expect(clientKey(ctx({ principal: { id: 'key-1', via: 'api-key' } }))).toBe('api-key:key-1');
    expect(clientKey(ctx({ locals: { clientCertificate: { principal: 'svc-a', fingerprint256: 'AB:CD' } } }))).toBe('client:svc-a');
    expect(clientKey(ctx({ locals: { clientCertificate: { fingerprint256: 'AB:CD' } } }))).toBe('client:AB:CD');
    expect(clientKey(ctx({}))).toBe('ip:127.0.0.9');
  });

  it('leaky queue: holds a burst back one interval apart instead of refusing it', async () => {
    const url = await serve({ algorithm: 'leaky-queue', limit: 5, windowMs: 1000 });
    const started = performance.now();
    const finished = await Promise.all([0, 1, 2].map(async () => {
      const response = await httpGet(`${url}/api/data`);
      return { status: response.status, ms: performance.now() - started };
    }));
    expect(finished.map((f) => f.status)).toEqual([200, 200, 200]);
    const times = finished.map((f) => f.ms).sort((a, b) => a - b);
    // Served 200 ms apart (W / limit): the second cannot finish before 200 ms, the third before 400 ms
    // (lower bounds only, so a busy machine cannot make this fail).
    expect(times[1]!).toBeGreaterThanOrEqual(195);
    expect(times[2]!).toBeGreaterThanOrEqual(395);
  });
});

describe('the rate limiter flaws', () => {
  it('limit-no-retry-after: 429 without Retry-After', async () => {
    const url = await serve({ algorithm: 'token-bucket', limit: 1, windowMs: 60_000, flaws: ['limit-no-retry-after'] });
    await httpGet(`${url}/api/data`);
    const refused = await httpGet(`${url}/api/data`);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBeUndefined();
    const correct = await serve({ algorithm: 'token-bucket', limit: 1, windowMs: 60_000 });
    await httpGet(`${correct}/api/data`);
    expect((await httpGet(`${correct}/api/data`)).headers['retry-after']).toBe('60');
  });

  it('limit-headers-lie: remaining stays at the limit while the quota runs out', async () => {
    const url = await serve({ algorithm: 'gcra', limit: 3, windowMs: 60_000, flaws: ['limit-headers-lie'] });
    const responses = [];
    for (let i = 0; i < 4; i++) responses.push(await httpGet(`${url}/api/data`));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(responses.map((r) => remainingOf(r.headers))).toEqual([3, 3, 3, 3]);
    expect(responses.map((r) => r.headers['x-ratelimit-remaining'])).toEqual(['3', '3', '3', '3']);
  });

  it('limit-fixed-window: a sliding log configured, yet 2N pass across a window boundary', async () => {
    const burstAcrossBoundary = async (flaws: string[]) => {
      const clock = { now: 59_990 };
      const url = await serve({ algorithm: 'sliding-log', limit: 5, windowMs: 60_000, flaws, clock });
      let admitted = 0;
      for (const at of [59_990, 60_000]) {
        clock.now = at;
        for (let i = 0; i < 5; i++) if ((await httpGet(`${url}/api/data`)).status === 200) admitted++;
      }
      return admitted;
    };
    expect(await burstAcrossBoundary([])).toBe(5);
    expect(await burstAcrossBoundary(['limit-fixed-window'])).toBe(10);
  });

  it('limit-counts-rejected-forever: a client retrying every 200 ms is never admitted again', async () => {
    const retrying = async (flaws: string[]) => {
      const clock = { now: 0 };
      const url = await serve({ algorithm: 'sliding-log', limit: 2, windowMs: 1000, flaws, clock });
      const statuses: number[] = [];
      for (let at = 0; at <= 5000; at += 200) {
        clock.now = at;
        statuses.push((await httpGet(`${url}/api/data`)).status);
      }
      return statuses.slice(2).filter((s) => s === 200).length;
    };
    expect(await retrying([])).toBeGreaterThanOrEqual(8);
    expect(await retrying(['limit-counts-rejected-forever'])).toBe(0);
  });
});
