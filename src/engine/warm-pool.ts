import type { Socket } from 'node:net';
import { Pool } from 'undici';
import type { TargetProfile, ClientIdentity } from '../scenario/types.js';
import { createConnector, type TrackedDispatcher } from './dispatchers.js';

type Connector = ReturnType<typeof createConnector>;
type ConnectOptions = Parameters<Connector>[0];

/**
 * A pool of `size` connections (each carrying up to `pipelining` requests at once) opened (and, for HTTPS, handshaken) before anything is sent, so a burst through
 * it leaves the client within a millisecond or so instead of waiting on connection setup. Connections that could
 * not be opened in advance are opened on demand, so their requests carry the transport error as evidence.
 */
export async function createWarmPool(
  profile: TargetProfile,
  origin: URL,
  size: number,
  options: { identity?: ClientIdentity; localAddress?: string; connectTimeoutMs: number; pipelining?: number },
): Promise<TrackedDispatcher & { warmed: number }> {
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
  const opened = await Promise.all(
    Array.from({ length: size }, () => new Promise<Socket | undefined>((resolve) => connector(connectOptions, (error, socket) => resolve(error ? undefined : (socket as Socket))))),
  );
  const ready = opened.filter((s): s is Socket => s !== undefined);
  const pool = new Pool(origin.origin, {
    connections: size,
    pipelining: options.pipelining ?? 1,
    connect: (requested, callback) => {
      const socket = ready.pop();
      const done = callback as (e: Error | null, s: unknown) => void;
      // undici re-enters its scheduler from this callback: it must not run synchronously.
      if (socket && !socket.destroyed) process.nextTick(() => done(null, socket));
      else connector(requested, (error, fresh) => done(error, fresh));
    },
  });
  return {
    dispatcher: pool,
    warmed: ready.length,
    tlsFor: () => undefined,
    close: async () => {
      for (const socket of ready) socket.destroy();
      await pool.close().catch(() => pool.destroy());
    },
  };
}
