import { connect as tcpConnect, createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { MAX_PIECES, type GeneratedResponse, type ResponseCase } from './generated-responses.js';

/**
 * A server on 127.0.0.1 that answers every request of every connection with a generated response (picked from the
 * case's responses by its seed, request by request), written exactly as generated: over plain TCP, inside TLS, or
 * behind a TLS handshake that is cut short.
 */
export interface ScriptedServer {
  url: string;
  /** Requests whose head arrived since the last `play`. */
  readonly requests: number;
  /** Answers from now on with this case; ends every open connection first. */
  play(next: ResponseCase): void;
  close(): Promise<void>;
}

export type ServerTls = { key: string; cert: string; requestCert?: boolean };

/** The largest request head or body the server reads before giving up on the connection. */
const MAX_REQUEST_BYTES = 2 * 1024 * 1024;

/** A small deterministic generator (mulberry32): the same seed picks the same responses in the same order. */
function picker(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The TCP socket under a TLS socket (a reset goes to it), or the socket itself. */
function tcpOf(socket: Socket): Socket {
  return ((socket as TLSSocket & { _parent?: Socket })._parent ?? socket) as Socket;
}

/** Writes one response as its delivery says; resolves false when the connection must serve nothing more. */
async function deliver(socket: Socket, response: GeneratedResponse): Promise<boolean> {
  const { bytes, delivery } = response;
  const cut = (at: number) => bytes.subarray(0, Math.floor(bytes.length * at));
  switch (delivery.how) {
    case 'whole':
      socket.write(bytes);
      break;
    case 'split': {
      let offset = 0;
      for (let piece = 1; offset < bytes.length && !socket.destroyed; piece++) {
        const end = piece === MAX_PIECES ? bytes.length : offset + delivery.pieceBytes;
        socket.write(bytes.subarray(offset, end));
        offset = end;
        if (delivery.delayMs) await sleep(delivery.delayMs);
      }
      break;
    }
    case 'early-close':
      socket.end(cut(delivery.at));
      return false;
    case 'reset':
      socket.write(cut(delivery.at), () => tcpOf(socket).resetAndDestroy());
      return false;
    case 'stall':
      socket.write(cut(delivery.at));
      return false;
  }
  if (response.close) socket.end();
  return !response.close;
}

/** Reads requests off a connection (heads, and bodies by content-length) and answers each in turn. */
function answerRequests(socket: Socket, state: { current: ResponseCase; next: () => number; requests: number }): void {
  if (state.current.unsolicited) socket.write(state.current.unsolicited);
  let buffered = Buffer.alloc(0);
  let answering = Promise.resolve(true);
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    if (buffered.length > MAX_REQUEST_BYTES) return socket.destroy();
    for (;;) {
      const headEnd = buffered.indexOf('\r\n\r\n');
      if (headEnd === -1) return;
      const head = buffered.subarray(0, headEnd).toString('latin1');
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      const chunked = /\r\ntransfer-encoding:\s*chunked/i.test(head);
      let end = headEnd + 4 + length;
      if (chunked) {
        const last = buffered.indexOf('\r\n0\r\n\r\n', headEnd);
        if (last === -1) return;
        end = last + 7;
      }
      if (buffered.length < end) return;
      buffered = buffered.subarray(end);
      state.requests++;
      const { responses, routes } = state.current;
      const path = /^\S+ (\S+)/.exec(head)?.[1] ?? '/';
      const routed = routes?.find(([prefix]) => path.startsWith(prefix))?.[1];
      const response = routed ?? responses[Math.floor(state.next() * responses.length)]!;
      answering = answering.then((open) => (open && !socket.destroyed ? deliver(socket, response) : false));
    }
  });
}

/**
 * `plain`: HTTP over TCP. `tls`: HTTP inside TLS with this certificate. `cut-handshake`: TLS with this certificate,
 * but only the first `cutAt(seed)` bytes of the server's handshake reach the client before the connection closes.
 */
export async function startScriptedServer(mode: { plain: true } | { tls: ServerTls } | { cutHandshake: ServerTls }): Promise<ScriptedServer> {
  const state = { current: { responses: [], seed: 0 } as ResponseCase, next: picker(0), requests: 0 };
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  };
  const servers: Server[] = [];
  let entry: Server;
  if ('plain' in mode) {
    entry = createNetServer((socket) => {
      track(socket);
      answerRequests(socket, state);
    });
  } else {
    const tls = 'tls' in mode ? mode.tls : mode.cutHandshake;
    const tlsServer = createTlsServer({ key: tls.key, cert: tls.cert, requestCert: tls.requestCert ?? false, rejectUnauthorized: false }, (socket) => {
      track(socket);
      answerRequests(socket, state);
    });
    tlsServer.on('tlsClientError', () => undefined);
    tlsServer.on('connection', track);
    entry = tlsServer;
    if ('cutHandshake' in mode) {
      // The real TLS server behind a relay that passes the client's bytes on and only a prefix of the answer back.
      await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
      servers.push(tlsServer);
      const inner = (tlsServer.address() as AddressInfo).port;
      entry = createNetServer((client) => {
        track(client);
        const cutAt = [0, 5, 60, 400, 1500][state.next() * 5 >>> 0]!;
        const upstream = tcpConnect(inner, '127.0.0.1');
        track(upstream);
        let passed = 0;
        client.on('data', (data) => upstream.write(data));
        upstream.on('data', (data: Buffer) => {
          const room = cutAt - passed;
          if (room > 0) client.write(data.subarray(0, room));
          passed += data.length;
          if (passed >= cutAt) {
            client.end();
            upstream.destroy();
          }
        });
        if (cutAt === 0) client.once('data', () => setImmediate(() => (client.end(), upstream.destroy())));
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
    }
  }
  await new Promise<void>((resolve) => entry.listen(0, '127.0.0.1', resolve));
  servers.push(entry);
  const { port } = entry.address() as AddressInfo;
  return {
    url: `${'plain' in mode ? 'http' : 'https'}://127.0.0.1:${port}`,
    get requests() {
      return state.requests;
    },
    play(next) {
      for (const socket of sockets) socket.destroy();
      state.current = next;
      state.next = picker(next.seed);
      state.requests = 0;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    },
  };
}
