import type { HttpClient, RequestSpec } from './http-client.js';
import type { TrackedDispatcher } from './dispatchers.js';
import { send, type PreparedRequest, type SentRequest } from './send.js';
import { waitUntil, wallClockMs } from './wall-clock.js';
import { createWarmPool } from './warm-pool.js';

export const MAX_BURST = 1000;

export interface BurstOptions {
  count: number;
  /** Fire at this wall-clock instant (epoch ms); default: as soon as the pool is warm. */
  at?: number;
  /** Vary each request (e.g. a different key); default: the same request N times. */
  vary?: (index: number) => RequestSpec;
  /**
   * `many` (default): one connection per request, as N separate clients would. `one`: every request pipelined on
   * a single connection, so the burst reaches one server process (one worker of a cluster) at once.
   */
  connections?: 'many' | 'one';
}

export interface BurstResult {
  responses: SentRequest[];
  /** Wall-clock instant the first request was handed to the pool. */
  firedAt: number;
  /** How far the firing was from `at` (ms), when aimed. */
  aimErrorMs?: number;
  /** Time between handing the first and the last request to the pool (ms). */
  dispatchSpreadMs: number;
  /** Connections opened in advance (the rest were opened on demand). */
  warmed: number;
}

/**
 * N requests arriving within a few milliseconds: N connections are opened first, then every request is handed to
 * them in one synchronous loop (optionally at a chosen wall-clock instant). Bounded: at most MAX_BURST requests,
 * each with the client's deadline.
 */
export async function fireBurst(client: HttpClient, spec: RequestSpec, options: BurstOptions): Promise<BurstResult> {
  checkCount(options.count);
  const specs = Array.from({ length: options.count }, (_, i) => options.vary?.(i) ?? spec);
  const prepared = specs.map((s) => client.prepare(s));
  const single = options.connections === 'one';
  const pool = await createWarmPool(client.profile, prepared[0]!.url, single ? 1 : options.count, {
    identity: client.identityFor(spec),
    localAddress: spec.localAddress,
    connectTimeoutMs: client.profile.timeouts.connectMs,
    pipelining: single ? options.count : 1,
  });
  try {
    const fired = await fireOn(pool, prepared, {
      at: options.at,
      timeoutMs: spec.timeoutMs ?? client.options.timeoutMs,
      bodyCapBytes: client.options.bodyCapBytes,
      signal: client.options.signal,
      pipelined: single,
    });
    return { ...fired, warmed: pool.warmed };
  } finally {
    await pool.close();
  }
}

export interface FireOptions {
  at?: number;
  timeoutMs: number;
  bodyCapBytes: number;
  signal?: AbortSignal;
  /** The dispatcher carries them on one connection: let them be pipelined. */
  pipelined: boolean;
}

/** Hands prepared requests to a dispatcher in one synchronous loop, optionally at a wall-clock instant. */
export async function fireOn(dispatcher: TrackedDispatcher, prepared: PreparedRequest[], options: FireOptions): Promise<Omit<BurstResult, 'warmed'>> {
  checkCount(prepared.length);
  const aimErrorMs = options.at === undefined ? undefined : await waitUntil(options.at, { signal: options.signal });
  const firedAt = wallClockMs();
  const pending = prepared.map((request) => send(dispatcher, request, options));
  const dispatchSpreadMs = wallClockMs() - firedAt;
  return { responses: await Promise.all(pending), firedAt, aimErrorMs, dispatchSpreadMs };
}

function checkCount(count: number): void {
  if (!Number.isInteger(count) || count < 1 || count > MAX_BURST) throw new RangeError(`a burst is 1 to ${MAX_BURST} requests, not ${count}`);
}
