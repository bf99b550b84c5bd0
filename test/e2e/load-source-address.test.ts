import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad } from '../../src/engine/load-runner.js';
import { testPki, type TestPki } from '../helpers/pki.js';

/** Counts requests per client address, as a per-IP rate limiter keys them. */
function bySource(): { handler: (req: IncomingMessage, res: ServerResponse) => void; seen: Map<string, number> } {
  const seen = new Map<string, number>();
  return {
    seen,
    handler: (req, res) => {
      const from = req.socket.remoteAddress ?? '?';
      seen.set(from, (seen.get(from) ?? 0) + 1);
      res.end('ok');
    },
  };
}

describe('load from a chosen source address', () => {
  let pki: TestPki;
  beforeAll(async () => {
    pki = await testPki();
  });
  afterAll(() => pki.dir.remove());

  for (const protocol of ['http', 'https'] as const) {
    /** One server per run: stragglers of one run cannot be counted in another. */
    async function loadFrom(sourceAddress: string | undefined): Promise<{ ok: number; sources: string[] }> {
      const { handler, seen } = bySource();
      const server = protocol === 'http' ? createHttpServer(handler) : createHttpsServer({ cert: pki.read('server.crt'), key: pki.read('server.key') }, handler);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = server.address() as AddressInfo;
        const request = { method: 'GET', url: new URL(`${protocol}://127.0.0.1:${port}/`), headers: {}, label: 'load' };
        const tls = protocol === 'https' ? { ca: pki.read('ca.crt') } : undefined;
        const run = await runLoad({ request, connections: 4, pipelining: 1, durationMs: 400, timeoutMs: 2000, sourceAddress, tls });
        return { ok: run.tally.statusCounts().get(200) ?? 0, sources: [...seen.keys()] };
      } finally {
        server.closeAllConnections?.();
        await new Promise((resolve) => server.close(resolve));
      }
    }

    it(`every ${protocol} connection of the run comes from the address asked for, and none from another`, async () => {
      const bound = await loadFrom('127.0.0.7');
      expect(bound.ok).toBeGreaterThan(10);
      expect(bound.sources).toEqual(['127.0.0.7']);
      // Without it, the kernel picks 127.0.0.1: the test would notice an option that does nothing.
      expect((await loadFrom(undefined)).sources).toEqual(['127.0.0.1']);
    });
  }
});
