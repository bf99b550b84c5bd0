import type { HttpClient, RequestSpec } from './http-client.js';
import type { TrackedDispatcher } from './dispatchers.js';
import { send, type PreparedRequest, type SentRequest } from './send.js';
import { waitUntil, wallClockMs } from './wall-clock.js';
import { warmPool } from './warm-pool.js';

export const MAX_BURST = 1000;

/**
 * How a burst travels. `parallel`: one request in flight per connection over a pool opened in advance, as many
 * clients (or a browser, or an HTTP library's pool) send; `pipelined`: all on one connection, each sent before the
 * previous answer; `sequential`: one connection, each request after the previous answer.
 */
export const TRANSPORTS = ['parallel', 'pipelined', 'sequential'] as const;
export type Transport = (typeof TRANSPORTS)[number];

/** The most connections a parallel burst opens; a larger burst queues on them, one request in flight on each. */
export const MAX_PARALLEL_CONNECTIONS = 256;

export interface BurstOptions {
  count: number;
  /** Fire at this wall-clock instant (epoch ms); default: as soon as the connections are ready. */
  at?: number;
  /** Vary each request (e.g. a different key); default: the same request N times. */
  vary?: (index: number) => RequestSpec;
  /** Default `parallel`. */
  transport?: Transport;
  /** Parallel only: open this many connections (default: one per request, at most MAX_PARALLEL_CONNECTIONS). */
  connections?: number;
}

export interface BurstResult {
  responses: SentRequest[];
  /** Wall-clock instant each request was handed to its connection (ms), in the order sent. */
  sentAt: number[];
  /** Wall-clock instant the first request was handed over. */
  firedAt: number;
  /** How far the firing was from `at` (ms), when aimed. */
  aimErrorMs?: number;
  /** Time between handing the first and the last request over (ms); for `sequential`, the whole burst. */
  dispatchSpreadMs: number;
  /** Connections opened in advance for this burst (others were open already, or opened on demand). */
  warmed: number;
}

export interface FireOptions {
  at?: number;
  timeoutMs: number;
  bodyCapBytes: number;
  signal?: AbortSignal;
}

/**
 * The connections one client sends its bursts on, kept between bursts (a real client keeps its connections
 * alive) and topped up before each one, so connection setup never spreads a burst out.
 */
export interface BurstChannel {
  readonly transport: Transport;
  fire(prepared: PreparedRequest[], options: FireOptions): Promise<BurstResult>;
  close(): Promise<void>;
}

export function openChannel(client: HttpClient, spec: RequestSpec, transport: Transport, connections = MAX_PARALLEL_CONNECTIONS): BurstChannel {
  const parallel = transport === 'parallel';
  const pool = warmPool(client.profile, client.prepare(spec).url, parallel ? connections : 1, {
    identity: client.identityFor(spec),
    localAddress: spec.localAddress,
    // A handshake that never completes costs a burst one request deadline, not the profile's connect timeout.
    connectTimeoutMs: Math.min(client.profile.timeouts.connectMs, spec.timeoutMs ?? client.options.timeoutMs),
    pipelining: transport === 'pipelined' ? MAX_BURST : 1,
  });
  return {
    transport,
    async fire(prepared, options) {
      checkCount(prepared.length);
      await pool.warm(parallel ? prepared.length : 1);
      const fired = transport === 'sequential' ? await fireInTurn(pool, prepared, options) : await fireOn(pool, prepared, { ...options, pipelined: transport === 'pipelined' });
      return { ...fired, warmed: pool.warmed };
    },
    close: () => pool.close(),
  };
}

/**
 * N requests arriving within a few milliseconds (parallel: N connections are opened first, then every request is
 * handed to them in one synchronous loop), optionally at a chosen wall-clock instant. Bounded: at most MAX_BURST
 * requests, each with the client's deadline.
 */
export async function fireBurst(client: HttpClient, spec: RequestSpec, options: BurstOptions): Promise<BurstResult> {
  checkCount(options.count);
  const prepared = Array.from({ length: options.count }, (_, i) => client.prepare(options.vary?.(i) ?? spec));
  const channel = openChannel(client, spec, options.transport ?? 'parallel', Math.min(options.count, options.connections ?? MAX_PARALLEL_CONNECTIONS));
  try {
    return await channel.fire(prepared, {
      at: options.at,
      timeoutMs: spec.timeoutMs ?? client.options.timeoutMs,
      bodyCapBytes: client.options.bodyCapBytes,
      signal: client.options.signal,
    });
  } finally {
    await channel.close();
  }
}

/** Hands prepared requests to a dispatcher in one synchronous loop, optionally at a wall-clock instant. */
export async function fireOn(
  dispatcher: TrackedDispatcher,
  prepared: PreparedRequest[],
  options: FireOptions & { pipelined: boolean },
): Promise<Omit<BurstResult, 'warmed'>> {
  checkCount(prepared.length);
  const aimErrorMs = options.at === undefined ? undefined : await waitUntil(options.at, { signal: options.signal });
  const sentAt: number[] = [];
  const pending = prepared.map((request) => {
    sentAt.push(wallClockMs());
    return send(dispatcher, request, options);
  });
  const firedAt = sentAt[0]!;
  return { responses: await Promise.all(pending), sentAt, firedAt, aimErrorMs, dispatchSpreadMs: sentAt.at(-1)! - firedAt };
}

/** One request at a time on one connection, each sent when the previous answer is complete. */
async function fireInTurn(dispatcher: TrackedDispatcher, prepared: PreparedRequest[], options: FireOptions): Promise<Omit<BurstResult, 'warmed'>> {
  const aimErrorMs = options.at === undefined ? undefined : await waitUntil(options.at, { signal: options.signal });
  const sentAt: number[] = [];
  const responses: SentRequest[] = [];
  for (const request of prepared) {
    sentAt.push(wallClockMs());
    responses.push(await send(dispatcher, request, options));
  }
  const firedAt = sentAt[0]!;
  return { responses, sentAt, firedAt, aimErrorMs, dispatchSpreadMs: sentAt.at(-1)! - firedAt };
}

function checkCount(count: number): void {
  if (!Number.isInteger(count) || count < 1 || count > MAX_BURST) throw new RangeError(`a burst is 1 to ${MAX_BURST} requests, not ${count}`);
}
