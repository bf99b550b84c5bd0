import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createReferenceServer } from '../reference/server/create-server.js';

/**
 * Entry point of a benchmark server process. `arrivals` answers every request with the wall-clock instant (ms,
 * sub-millisecond) at which its handler ran: what a rate limiter in that server would see.
 */
async function main(kind: string): Promise<void> {
  if (kind === 'reference') {
    const server = await createReferenceServer();
    process.send!({ url: server.url });
    process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
    return;
  }
  const server = createServer((_req, res) => {
    const at = performance.timeOrigin + performance.now();
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(String(at));
  });
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => process.send!({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  process.once('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}

void main(process.argv[2] ?? 'reference');
