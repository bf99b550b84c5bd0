import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
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
  /**
   * Serve over TLS with this certificate: the handshake completes and the behaviour happens inside the TLS
   * stream. Behaviours below TLS (never-answers, tls-garbage) ignore it: they are already hostile to TLS.
   */
  tls?: { key: string; cert: string };
}

/** Behaviours that happen below TLS: wrapping them in a TLS server would change what they are. */
export const BELOW_TLS = new Set(['never-answers', 'tls-garbage']);

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
      // Over TLS the reset goes to the TCP connection underneath.
      const tcp = ((socket as TLSSocket & { _parent?: Socket })._parent ?? socket) as Socket;
      setTimeout(() => tcp.resetAndDestroy(), 50);
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

/**
 * A hostile server on loopback: plain TCP, or with `tls` the behaviour inside a completed TLS handshake (for the
 * TLS-garbage and never-answers cases, plain TCP addressed as https when `tls` is given).
 */
export async function startHostile(name: keyof typeof BEHAVIOURS | string, options: HostileOptions = {}): Promise<HostileServer> {
  const behaviour = BEHAVIOURS[name];
  if (!behaviour) throw new Error(`no hostile behaviour ${name}`);
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  };
  const overTls = options.tls !== undefined && !BELOW_TLS.has(name);
  const server: Server = overTls
    ? createTlsServer({ key: options.tls!.key, cert: options.tls!.cert }, (socket) => {
        track(socket);
        behaviour(socket, options);
      })
    : createNetServer((socket) => {
        track(socket);
        behaviour(socket, options);
      });
  if (overTls) server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const scheme = name === 'tls-garbage' || options.tls ? 'https' : 'http';
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
  // Connections whose handshake never finished stay open on this side: close() ends them.
  const connections = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    name: 'closes-after-handshake',
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of connections) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * An HTTPS server that asks for a client certificate but never insists, and answers 200 with the same JSON to
 * every request: certificate or not, key or not, any path, any method. Records every request.
 */
export async function startAnswersEverything(tls: { key: string; cert: string }): Promise<HostileServer & { requests: number }> {
  const body = JSON.stringify({ ok: true, data: [{ id: 1, value: 'alpha' }], count: 1 });
  const state = { requests: 0 };
  const server = createHttpsServer({ key: tls.key, cert: tls.cert, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    state.requests++;
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    name: 'answers-200-to-everything',
    url: `https://127.0.0.1:${port}`,
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Answers every request with `count` interim `100 Continue` responses nobody asked for (no Expect header was
 * sent), then `417 Expectation Failed`, over plain TCP.
 */
export async function startInterimResponses(count: number): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    onRequest(socket, () => socket.write(`${'HTTP/1.1 100 Continue\r\n\r\n'.repeat(count)}HTTP/1.1 417 Expectation Failed\r\ncontent-length: 0\r\n\r\n`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    name: `${count}-continue-then-417`,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
