import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpGet } from '../helpers/http-get.js';
import { redisBinary, startRedis, type LocalRedis } from '../helpers/redis.js';
import { startServe, type ServeProcess } from '../helpers/serve-process.js';

const LIMIT = 100;
const WORKERS = 4;
const hasRedis = redisBinary('four workers share one global limit through Redis') !== undefined;

let redis: LocalRedis | undefined;
const servers: ServeProcess[] = [];
beforeAll(async () => {
  if (hasRedis) redis = await startRedis('global limit across workers');
});
afterAll(async () => {
  for (const server of servers) await server.stop();
  await redis?.stop();
});

/**
 * Sends `total` requests, 32 at a time, each on a new connection: the cluster hands out connections, not requests,
 * so kept-alive connections would pin a share of the traffic to whichever worker was free when they opened
 * (one CI run gave a slow worker too few to reach its limit). Counts 200s and 429s.
 */
async function load(url: string, total: number): Promise<{ admitted: number; refused: number; other: number[] }> {
  const agent = new Agent({ keepAlive: false, maxSockets: 32 });
  let next = 0;
  const result = { admitted: 0, refused: 0, other: [] as number[] };
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next++ < total) {
        const { status } = await httpGet(`${url}/api/data`, { agent, timeoutMs: 10_000 });
        if (status === 200) result.admitted++;
        else if (status === 429) result.refused++;
        else result.other.push(status);
      }
    }),
  );
  agent.destroy();
  return result;
}

describe('rate limits under serve --workers 4', () => {
  it.skipIf(!hasRedis)('with the Redis store, four workers admit one global limit (within 2%)', async () => {
    const server = await startServe(['--workers', String(WORKERS), '--limiter', 'sliding-log', '--limit', String(LIMIT), '--window', '60s', '--store', 'redis', '--redis-url', redis!.url]);
    servers.push(server);
    const result = await load(server.url, LIMIT * 8);
    expect(result.other).toEqual([]);
    expect(Math.abs(result.admitted - LIMIT) / LIMIT, `admitted ${result.admitted} of a global ${LIMIT}`).toBeLessThanOrEqual(0.02);
    expect(result.refused).toBe(LIMIT * 8 - result.admitted);
    expect(await server.stop()).toBe(0);
  });

  it('with the memory store (flaw limit-per-worker), each worker counts alone: about 4 x the limit', async () => {
    const server = await startServe(['--workers', String(WORKERS), '--limiter', 'sliding-log', '--limit', String(LIMIT), '--window', '60s', '--flaw', 'limit-per-worker']);
    servers.push(server);
    // Four times what the workers can admit together, so even a worker handed a quarter of its fair share reaches its limit.
    const result = await load(server.url, LIMIT * WORKERS * 4);
    expect(result.other).toEqual([]);
    const ratio = result.admitted / LIMIT;
    expect(ratio, `admitted ${result.admitted} against a limit of ${LIMIT}`).toBeGreaterThanOrEqual(3.6);
    expect(ratio).toBeLessThanOrEqual(WORKERS);
    expect(await server.stop()).toBe(0);
  });

  it('refuses the memory store under several workers unless the flaw is named', async () => {
    const { runCli } = await import('../helpers/cli.js');
    const cli = await runCli(['serve', '--workers', '2', '--limiter', 'gcra', '--limit', '5']);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('--store redis for one global limit, or --flaw limit-per-worker');
  });

  it('refuses a limiter flaw without a limiter, and a limiter option without --limiter', async () => {
    const { runCli } = await import('../helpers/cli.js');
    const flaw = await runCli(['serve', '--flaw', 'limit-no-retry-after']);
    expect(flaw.code).toBe(2);
    expect(flaw.stderr).toContain('flaw limit-no-retry-after changes the rate limiter; add --limiter');
    const stray = await runCli(['serve', '--limit', '5']);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('--limit configures the rate limiter; add --limiter <algorithm>');
    const bad = await runCli(['serve', '--limiter', 'leaky', '--limit', '5']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--limiter expects one of fixed-window");
  });

  it('a single server still answers on the shared URL after the workers stop one by one', async () => {
    const server = await startServe(['--workers', '2']);
    servers.push(server);
    expect((await httpGet(`${server.url}/health`)).status).toBe(200);
    expect(await server.stop()).toBe(0);
  });
});
