import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { AddressInfo } from 'node:net';

/** A misbehaving server on loopback: what it does with each connection is the whole fixture. */
export interface HostileServer {
  name: string;
  url: string;
  close(): Promise<void>;
}

export interface HostileOptions {
  /** Where the redirect-to-other-host behaviour points. */
  redirectTo?: string;
}

type Behaviour = (socket: Socket, options: HostileOptions) => void;

const RESPONSE_HEAD = 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n';

/** Waits for a request head, then behaves; keeps sockets so close() can end them. */
function onRequest(socket: Socket, then: () => void): void {
  let seen = '';
  const onData = (chunk: Buffer) => {
    seen += chunk.toString('latin1');
    if (seen.includes('\r\n\r\n')) {
      socket.off('data', onData);
      then();
    }
  };
  socket.on('data', onData);
}

export const BEHAVIOURS: Record<string, Behaviour> = {
  'never-answers': () => undefined,
  'accepts-never-sends-headers': (socket) => onRequest(socket, () => undefined),
  'drips-one-byte-a-second': (socket) =>
    onRequest(socket, () => {
      const text = `${RESPONSE_HEAD}content-length: 1000\r\n\r\n${'x'.repeat(1000)}`;
      let i = 0;
      const timer = setInterval(() => {
        if (socket.destroyed || i >= text.length) return clearInterval(timer);
        socket.write(text[i++]!);
      }, 1000);
      socket.on('close', () => clearInterval(timer));
    }),
  'resets-mid-body': (socket) =>
    onRequest(socket, () => {
      socket.write(`${RESPONSE_HEAD}content-length: 100000\r\n\r\n{"partial": "`);
      setTimeout(() => socket.resetAndDestroy(), 50);
    }),
  'sends-2gb-body': (socket) =>
    onRequest(socket, () => {
      socket.write(`${RESPONSE_HEAD}content-length: ${2 * 1024 ** 3}\r\n\r\n`);
      const chunk = Buffer.alloc(64 * 1024, 'a');
      let sent = 0;
      const pump = () => {
        while (!socket.destroyed && sent < 2 * 1024 ** 3) {
          sent += chunk.length;
          if (!socket.write(chunk)) return socket.once('drain', pump);
        }
      };
      pump();
    }),
  'sends-100k-headers': (socket) =>
    onRequest(socket, () => {
      let head = RESPONSE_HEAD;
      for (let i = 0; i < 100_000; i++) head += `x-h${i}: v\r\n`;
      socket.write(`${head}content-length: 2\r\n\r\n{}`);
    }),
  'sends-1mb-header-line': (socket) =>
    onRequest(socket, () => socket.write(`${RESPONSE_HEAD}x-huge: ${'a'.repeat(1024 * 1024)}\r\ncontent-length: 2\r\n\r\n{}`)),
  'malformed-status-line': (socket) => onRequest(socket, () => socket.write('HTTX/9.9 two hundred\r\n\r\n')),
  'broken-chunked-encoding': (socket) =>
    onRequest(socket, () => socket.write(`${RESPONSE_HEAD}transfer-encoding: chunked\r\n\r\nzz\r\nnot a chunk\r\n`)),
  'redirect-loop': (socket) =>
    onRequest(socket, () => socket.end('HTTP/1.1 302 Found\r\nlocation: /loop\r\ncontent-length: 0\r\n\r\n')),
  'redirect-to-other-host': (socket, options) =>
    onRequest(socket, () =>
      socket.end(`HTTP/1.1 302 Found\r\nlocation: ${options.redirectTo ?? 'http://127.0.0.2:9'}/elsewhere\r\ncontent-length: 0\r\n\r\n`),
    ),
  'tls-garbage': (socket) => socket.end(Buffer.from('\x16\x03\x01\x00\x05garbage-not-tls\r\n', 'latin1')),
};

/** A plain-TCP hostile server (for the TLS-garbage case it is addressed as https). */
export async function startHostile(name: keyof typeof BEHAVIOURS | string, options: HostileOptions = {}): Promise<HostileServer> {
  const behaviour = BEHAVIOURS[name];
  if (!behaviour) throw new Error(`no hostile behaviour ${name}`);
  const sockets = new Set<Socket>();
  const server: Server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    behaviour(socket, options);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const scheme = name === 'tls-garbage' ? 'https' : 'http';
  return {
    name,
    url: `${scheme}://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A TLS server that completes the handshake and then closes the connection without a byte of HTTP. */
export async function startClosesAfterHandshake(tls: { key: string; cert: string }): Promise<HostileServer> {
  const server = createTlsServer({ key: tls.key, cert: tls.cert }, (socket) => {
    socket.on('error', () => undefined);
    socket.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    name: 'closes-after-handshake',
    url: `https://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
