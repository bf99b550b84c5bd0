import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpGet } from '../helpers/http-get.js';
import { redisBinary, startRedis, type LocalRedis } from '../helpers/redis.js';
import { startServe, type ServeProcess } from '../helpers/serve-process.js';

const hasRedis = redisBinary('the limiter must survive Redis stopping and restarting') !== undefined;
const LIMIT = 5;

let redis: LocalRedis | undefined;
let failOpen: ServeProcess | undefined;
let failClosed: ServeProcess | undefined;

beforeAll(async () => {
  if (!hasRedis) return;
  redis = await startRedis('Redis failure mode');
  const common = ['--limiter', 'sliding-log', '--limit', String(LIMIT), '--window', '60s', '--store', 'redis', '--redis-url', redis!.url];
  [failOpen, failClosed] = await Promise.all([startServe([...common, '--fail-mode', 'open']), startServe([...common, '--fail-mode', 'closed'])]);
});
afterAll(async () => {
  await failOpen?.stop();
  await failClosed?.stop();
  await redis?.stop();
});

/** Both servers share Redis, so each is probed from its own client address (its own key). */
const CLIENT: Record<string, string> = {};

async function statuses(url: string, count: number): Promise<number[]> {
  const result: number[] = [];
  for (let i = 0; i < count; i++) result.push((await httpGet(`${url}/api/data`, { localAddress: CLIENT[url] })).status);
  return result;
}

/** Polls until `check` passes or the deadline; returns whether it passed. */
async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

describe.skipIf(!hasRedis)('Redis stopped mid-run', () => {
  it('follows the failure mode, never crashes, and limits again when Redis returns', async () => {
    const open = failOpen!.url;
    const closed = failClosed!.url;
    CLIENT[open] = '127.0.0.1';
    CLIENT[closed] = '127.0.0.4';
    // Two clients (source addresses) hammer both servers the whole time; every answer must be a real HTTP answer.
    const seen = { open: new Set<number>(), closed: new Set<number>(), errors: [] as string[], answers: 0 };
    let running = true;
    const background = (async () => {
      while (running) {
        for (const [name, url] of [['open', open], ['closed', closed]] as const) {
          try {
            seen[name].add((await httpGet(`${url}/api/data`, { localAddress: '127.0.0.3', timeoutMs: 5000 })).status);
            seen.answers++;
          } catch (error) {
            seen.errors.push(`${name}: ${(error as Error).message}`);
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();

    // Redis up: both limit.
    expect(await statuses(open, LIMIT + 2)).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(await statuses(closed, LIMIT + 2)).toEqual([200, 200, 200, 200, 200, 429, 429]);

    await redis!.stop();
    // Fail-open: everything passes, unlimited. Fail-closed: 503 with Retry-After, as a problem document.
    expect(await eventually(async () => (await statuses(open, 1))[0] === 200, 5000)).toBe(true);
    expect(await statuses(open, 10)).toEqual(Array(10).fill(200));
    const down = await httpGet(`${closed}/api/data`, { localAddress: CLIENT[closed] });
    expect(down.status).toBe(503);
    expect(down.headers['retry-after']).toBe('1');
    expect(JSON.parse(down.body).type).toBe('https://gauntlet.dev/problems/rate-limiter-unavailable');
    expect(await statuses(closed, 5)).toEqual(Array(5).fill(503));

    await redis!.start();
    // Back (an empty Redis, the script reloaded after NOSCRIPT): both limit again.
    const limiting = async (url: string) => {
      const burst = await statuses(url, LIMIT + 1);
      return burst.at(-1) === 429 && burst.every((s) => s === 200 || s === 429);
    };
    expect(await eventually(() => limiting(open), 15_000), 'fail-open server limits again').toBe(true);
    expect(await eventually(() => limiting(closed), 15_000), 'fail-closed server limits again').toBe(true);

    running = false;
    await background;
    // The background client got an HTTP answer every time, and only the answers its server's mode allows.
    expect(seen.errors).toEqual([]);
    expect(seen.answers).toBeGreaterThan(10);
    expect([...seen.open].filter((s) => ![200, 429].includes(s))).toEqual([]);
    expect([...seen.closed].filter((s) => ![200, 429, 503].includes(s))).toEqual([]);
    // Neither process died, and each said what happened.
    expect(failOpen!.child.exitCode).toBeNull();
    expect(failClosed!.child.exitCode).toBeNull();
    expect(failOpen!.stderr()).toMatch(/failing open[\s\S]*answering again/);
    expect(failClosed!.stderr()).toMatch(/failing closed[\s\S]*answering again/);
    expect(await failOpen!.stop()).toBe(0);
    expect(await failClosed!.stop()).toBe(0);
  });
});
