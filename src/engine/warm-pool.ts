import type { Socket } from 'node:net';
import { Pool } from 'undici';
import type { TargetProfile, ClientIdentity } from '../scenario/types.js';
import { createConnector, type TrackedDispatcher } from './dispatchers.js';

type Connector = ReturnType<typeof createConnector>;
type ConnectOptions = Parameters<Connector>[0];

export interface WarmPoolOptions {
  identity?: ClientIdentity;
  localAddress?: string;
  connectTimeoutMs: number;
  /** Requests each connection carries at once (default 1: one in flight per connection). */
  pipelining?: number;
}

/** A pool whose connections can be opened (and, for HTTPS, handshaken) before a burst is handed to it. */
export interface WarmPool extends TrackedDispatcher {
  /** Connections opened in advance by the last `warm` (the rest are opened on demand). */
  readonly warmed: number;
  /**
   * Makes `count` connections (at most the pool's size) ready before anything is sent: those the pool still holds
   * count, and the ones the server closed meanwhile are replaced. Resolves with how many are ready.
   */
  warm(count: number): Promise<number>;
}

/**
 * A pool of up to `size` connections (each carrying up to `pipelining` requests at once) that opens them when told
 * to (`warm`, before each burst), so a burst leaves the client within a millisecond or so instead of waiting on
 * connection setup. Connections that could not be opened in advance are opened on demand, so their requests carry
 * the transport error as evidence.
 */
export function warmPool(profile: TargetProfile, origin: URL, size: number, options: WarmPoolOptions): WarmPool {
  const connector = createConnector(profile, options);
  const connectOptions: ConnectOptions = {
    hostname: origin.hostname.replace(/^\[|\]$/g, ''),
    host: origin.host,
    protocol: origin.protocol,
    port: origin.port || (origin.protocol === 'https:' ? '443' : '80'),
    servername: profile.tls.servername ?? (/^[\d.]+$|:/.test(origin.hostname) ? undefined : origin.hostname),
    localAddress: options.localAddress ?? null,
    httpSocket: undefined,
  } as ConnectOptions;
  let ready: Socket[] = [];
  let warmed = 0;
  const open = () =>
    new Promise<Socket | undefined>((resolve) =>
      connector(connectOptions, (error, socket) => {
        // A server may reset a connection that waits here unused; that must not become an uncaught 'error'.
        if (socket) socket.on('error', () => undefined);
        resolve(error ? undefined : (socket as Socket));
      }),
    );
  const pool = new Pool(origin.origin, {
    connections: size,
    pipelining: options.pipelining ?? 1,
    connect: (requested, callback) => {
      const socket = ready.pop();
      const done = callback as (e: Error | null, s: unknown) => void;
      // undici re-enters its scheduler from this callback: it must not run synchronously.
      if (socket && !socket.destroyed) process.nextTick(() => done(null, socket));
      // undici's own connect options lack the source address: a connection opened on demand keeps the caller's.
      else connector({ ...requested, localAddress: options.localAddress ?? requested.localAddress }, (error, fresh) => done(error ? connectFailure(error) : null, fresh));
    },
  });
  return {
    dispatcher: pool,
    get warmed() {
      return warmed;
    },
    async warm(count) {
      ready = ready.filter((s) => !s.destroyed);
      const wanted = Math.min(count, size) - pool.stats.connected - ready.length;
      const opened = wanted > 0 ? await Promise.all(Array.from({ length: wanted }, open)) : [];
      const fresh = opened.filter((s): s is Socket => s !== undefined);
      ready.push(...fresh);
      warmed = fresh.length;
      return pool.stats.connected + ready.length;
    },
    tlsFor: () => undefined,
    close: async () => {
      for (const socket of ready) socket.destroy();
      ready = [];
      await pool.close().catch(() => pool.destroy());
    },
  };
}

/**
 * undici mishandles a host-name mismatch (ERR_TLS_CERT_ALTNAME_INVALID) reported by a custom connector: it leaves
 * the failed requests counted as running and, on the next attempt, dies on an assertion. Any other connect error
 * takes its ordinary path (every queued request fails with it), so the original is carried as the cause, which is
 * what the transport classification reads.
 */
function connectFailure(error: Error): Error {
  return new Error(error.message, { cause: error });
}
