import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openChannel, type Transport } from '../../src/engine/burst.js';
import { HttpClient } from '../../src/engine/http-client.js';
import { send } from '../../src/engine/send.js';
import { warmPool } from '../../src/engine/warm-pool.js';
import { SecretRegistry } from '../../src/results/secrets.js';
import { profileFromTarget } from '../../src/scenario/load-profile.js';
import { startTestServer, type TestServer } from '../helpers/servers.js';

/** What the server saw of each request: its connection, the source address, and how many were in flight. */
interface Seen {
  socket: Socket;
  address: string;
  inFlight: number;
}

describe('burst transports', () => {
  let server: TestServer;
  let client: HttpClient;
  let seen: Seen[] = [];
  let inFlight = 0;
  /**
   * Answers are held until this many requests are in flight, or for at most `holdMs`: a transport that really sends
   * them all at once is seen with all of them in flight however slowly this machine runs, and one that does not
   * still gets its answers.
   */
  let hold = { inFlight: Infinity, holdMs: 20 };
  let held: (() => void)[] = [];

  beforeAll(async () => {
    server = await startTestServer((req, res) => {
      inFlight++;
      seen.push({ socket: req.socket, address: req.socket.remoteAddress ?? '', inFlight });
      const answer = () => {
        inFlight--;
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      };
      const timer = setTimeout(() => {
        held = held.filter((h) => h !== release);
        answer();
      }, hold.holdMs);
      const release = () => {
        clearTimeout(timer);
        answer();
      };
      held.push(release);
      if (inFlight >= hold.inFlight) for (const h of held.splice(0)) h();
    });
    client = new HttpClient(profileFromTarget(server.url), { timeoutMs: 5000, bodyCapBytes: 1024 }, new SecretRegistry());
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  async function burst(transport: Transport, count: number, localAddress?: string): Promise<Seen[]> {
    seen = [];
    hold = transport === 'parallel' ? { inFlight: count, holdMs: 3000 } : { inFlight: Infinity, holdMs: 20 };
    const spec = { path: '/x', localAddress };
    const channel = openChannel(client, spec, transport);
    try {
      const result = await channel.fire(Array.from({ length: count }, () => client.prepare(spec)), { timeoutMs: 5000, bodyCapBytes: 1024 });
      expect(result.responses.map((r) => r.exchange.response?.status)).toEqual(Array(count).fill(200));
      expect(result.sentAt).toHaveLength(count);
      // Parallel: every connection was opened before the first request left; the others need one.
      expect(result.warmed).toBe(transport === 'parallel' ? count : 1);
      return seen;
    } finally {
      await channel.close();
    }
  }

  it('parallel: one request in flight on each of as many connections, all opened before the burst', async () => {
    const requests = await burst('parallel', 12);
    expect(new Set(requests.map((r) => r.socket)).size).toBe(12);
    expect(Math.max(...requests.map((r) => r.inFlight))).toBe(12);
  });

  it('pipelined: every request on one connection, sent before the previous answer', async () => {
    const requests = await burst('pipelined', 6);
    expect(new Set(requests.map((r) => r.socket)).size).toBe(1);
  });

  it('sequential: one connection, never two requests in flight', async () => {
    const requests = await burst('sequential', 6);
    expect(new Set(requests.map((r) => r.socket)).size).toBe(1);
    expect(Math.max(...requests.map((r) => r.inFlight))).toBe(1);
  });

  it('sends from the caller source address, also on connections opened on demand', async () => {
    expect((await burst('parallel', 5, '127.0.0.9')).map((r) => r.address)).toEqual(Array(5).fill('127.0.0.9'));
    // Nothing warmed: undici opens every connection itself, and must still send from the caller's address.
    seen = [];
    hold = { inFlight: Infinity, holdMs: 20 };
    const pool = warmPool(client.profile, new URL(server.url), 3, { localAddress: '127.0.0.9', connectTimeoutMs: 2000 });
    try {
      await Promise.all(Array.from({ length: 3 }, () => send(pool, client.prepare({ path: '/x' }), { timeoutMs: 5000, bodyCapBytes: 1024 })));
    } finally {
      await pool.close();
    }
    expect(seen.map((r) => r.address)).toEqual(Array(3).fill('127.0.0.9'));
  });
});
