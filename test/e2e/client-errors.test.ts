import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createReferenceServer, type ReferenceServer } from '../../src/reference/server/create-server.js';

/** Writes raw bytes to the server and reads until it closes the connection (5 s at most). */
function exchangeRaw(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.setTimeout(5000, () => socket.destroy(new Error('the server neither answered nor closed within 5 s')));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', reject);
    socket.end(bytes);
  });
}

/** The last response in what a connection received: status, headers by lower-case name, body. */
function lastResponse(raw: string): { status: number; headers: Map<string, string>; body: string } {
  const at = raw.lastIndexOf('HTTP/1.1 ');
  const [head, body = ''] = raw.slice(at).split('\r\n\r\n');
  const [statusLine, ...lines] = head!.split('\r\n');
  const headers = new Map(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine!.split(' ')[1]), headers, body };
}

const OVERSIZED = `GET /api/data HTTP/1.1\r\nhost: x\r\nx-padding: ${'a'.repeat(20_000)}\r\n\r\n`;
const GARBAGE = 'NOT HTTP AT ALL\r\n\r\n';

let server: ReferenceServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('answers Node gives before any handler runs', () => {
  it.each([
    ['headers too large', 431, OVERSIZED],
    ['a request that is not HTTP', 400, GARBAGE],
  ])('%s: %i as a problem document with the security headers, then the connection closes', async (_name, status, bytes) => {
    server = await createReferenceServer({ securityHeaders: {} });
    const answer = lastResponse(await exchangeRaw(server.url, bytes));
    expect(answer.status).toBe(status);
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.headers.get('connection')).toBe('close');
    expect(answer.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(JSON.parse(answer.body)).toMatchObject({ status, title: expect.any(String), type: expect.stringContaining('/problems/') });
  });

  it('never writes into an answer under way: garbage pipelined after a good request closes the connection after it', async () => {
    server = await createReferenceServer({ securityHeaders: {} });
    const raw = await exchangeRaw(server.url, `GET /api/data HTTP/1.1\r\nhost: x\r\n\r\n${GARBAGE}`);
    expect(raw.match(/HTTP\/1\.1 /g)).toHaveLength(1);
    const answer = lastResponse(raw);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ data: expect.any(Array) });
  });

  it('keeps the flaws: headers-only-on-success drops the headers here too, headers-server-version leaks', async () => {
    server = await createReferenceServer({ securityHeaders: {}, flaws: ['headers-only-on-success', 'headers-server-version'] });
    const answer = lastResponse(await exchangeRaw(server.url, OVERSIZED));
    expect(answer.status).toBe(431);
    expect(answer.headers.has('x-content-type-options')).toBe(false);
    expect(answer.headers.get('server')).toMatch(/Node\.js\/v\d+/);
  });

  it('sends no security headers when the server has none configured', async () => {
    server = await createReferenceServer();
    const answer = lastResponse(await exchangeRaw(server.url, OVERSIZED));
    expect(answer.status).toBe(431);
    expect(answer.headers.has('x-content-type-options')).toBe(false);
  });
});
