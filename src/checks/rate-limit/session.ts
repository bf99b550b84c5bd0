import { fireBurst, fireOn, MAX_BURST } from '../../engine/burst.js';
import type { TrackedDispatcher } from '../../engine/dispatchers.js';
import type { RequestSpec } from '../../engine/http-client.js';
import { sleep, waitUntil, wallClockMs } from '../../engine/wall-clock.js';
import { createWarmPool } from '../../engine/warm-pool.js';
import type { Exchange } from '../../results/model.js';
import { GauntletError } from '../../util/errors.js';
import type { CheckContext } from '../types.js';
import { observe, type Observation } from './observation.js';

export interface SessionPolicy {
  limit: number;
  windowMs: number;
  recoveryMs: number;
  refusedStatus: number[];
  /** API keys that start with a whole quota, handed out one per client. */
  keys: string[];
}

export interface SessionBounds {
  maxRequests: number;
  deadline: number;
}

/** A request of a probe got no HTTP answer: the probe cannot judge the limiter from a broken exchange. */
export class ProbeTransportError extends GauntletError {
  constructor(readonly exchange: Exchange) {
    super('E_PROBE_TRANSPORT', `${exchange.request.method} ${new URL(exchange.request.url).pathname}: ${exchange.transport!.class}: ${exchange.transport!.message}`);
  }
}

export class BudgetExhausted extends GauntletError {
  constructor(what: string) {
    super('E_PROBE_BUDGET', `the check's bound was reached (${what}); raise maxRequests or maxDuration, or select fewer probes`);
  }
}

/** Answers cut at the body cap: bursts of them would stream without end, so the probes stop at the first. */
export class OversizedAnswers extends GauntletError {
  constructor(cap: number) {
    super('E_PROBE_OVERSIZED', `an answer was larger than the body cap (${cap} bytes): the probes read every answer, so they stop here`);
  }
}

/**
 * Everything the probes share: the base request, the policy, fresh client quotas, the trace of every request
 * (replayed by the fingerprint), and the bounds of the whole check in requests and time.
 */
export class ProbeSession {
  readonly trace: Observation[] = [];
  private sent = 0;
  private nextKey = 0;
  private minRoundTripMs = Number.POSITIVE_INFINITY;
  private readonly lastUse = new Map<string, number>();
  private readonly clients: ProbeClient[] = [];

  constructor(
    readonly ctx: CheckContext,
    readonly base: RequestSpec,
    readonly policy: SessionPolicy,
    readonly bounds: SessionBounds,
  ) {}

  /**
   * A client with a whole quota: the next unused key of the policy's pool, or else the base request's client
   * after it has stayed quiet for the recovery time.
   */
  async freshClient(label: string): Promise<ProbeClient> {
    const key = this.policy.keys[this.nextKey];
    if (key !== undefined) {
      this.nextKey++;
      const placement = typeof this.base.key === 'object' ? { ...this.base.key, name: key } : key;
      return this.adopt(new ProbeClient(this, key, { ...this.base, key: placement }, label));
    }
    const name = typeof this.base.key === 'string' ? this.base.key : (this.base.key?.name ?? 'default');
    const readyAt = (this.lastUse.get(name) ?? 0) + this.policy.recoveryMs;
    if (readyAt > wallClockMs()) await this.sleepUntil(readyAt);
    return this.adopt(new ProbeClient(this, name, this.base, label));
  }

  adopt(client: ProbeClient): ProbeClient {
    this.clients.push(client);
    return client;
  }

  /** Closes every client's connection. */
  async close(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.close()));
  }

  /** Whether a fresh client with a quota of its own is still available without waiting (a pool key). */
  hasSecondClient(): boolean {
    return this.nextKey < this.policy.keys.length;
  }

  spend(count: number): void {
    this.sent += count;
    if (this.sent > this.bounds.maxRequests) throw new BudgetExhausted(`${this.bounds.maxRequests} requests`);
    if (wallClockMs() > this.bounds.deadline) throw new BudgetExhausted('its time limit');
    if (this.ctx.signal.aborted) throw new GauntletError('E_INTERRUPTED', 'interrupted');
  }

  record(observations: Observation[]): Observation[] {
    const broken = observations.find((o) => o.exchange.transport);
    if (broken) throw new ProbeTransportError(broken.exchange);
    const cap = this.ctx.http.options.bodyCapBytes;
    if (observations.some((o) => o.exchange.response?.bodyCapped)) throw new OversizedAnswers(cap);
    for (const o of observations) {
      if (o.exchange.response) this.minRoundTripMs = Math.min(this.minRoundTripMs, o.latencyMs);
      this.lastUse.set(o.client, Math.max(this.lastUse.get(o.client) ?? 0, o.sentAt + o.latencyMs));
      this.trace.push(o);
    }
    return observations;
  }

  /** Half the fastest round trip: how long a request takes to reach the target, at best. */
  oneWayMs(): number {
    return Number.isFinite(this.minRoundTripMs) ? this.minRoundTripMs / 2 : 0;
  }

  /** Estimates when the target saw a request and, if it admitted it, when it let it through. */
  placeInTime(o: Observation, sentAt: number): void {
    const oneWay = this.oneWayMs();
    o.arrivedAt = sentAt + oneWay;
    o.servedAt = Math.max(o.arrivedAt, o.sentAt + o.latencyMs - oneWay);
  }

  async sleepUntil(at: number): Promise<void> {
    if (at > this.bounds.deadline) throw new BudgetExhausted('its time limit');
    const ms = at - wallClockMs();
    if (ms > 5) await sleep(ms - 3, this.ctx.signal);
    if (this.ctx.signal.aborted) throw new GauntletError('E_INTERRUPTED', 'interrupted');
    await waitUntil(at, { signal: this.ctx.signal, maxWaitMs: this.bounds.deadline - wallClockMs() + 1000 });
  }
}

/** The most requests a client keeps in flight on its one connection. */
const CLIENT_PIPELINE = MAX_BURST;

/**
 * One client quota (a key, or the shared client), holding one connection for all it sends, as a real client would:
 * behind a cluster or a load balancer that spreads connections, everything a client sends reaches the same server
 * process, so only the concurrency probe (many connections) sees limits counted per process.
 */
export class ProbeClient {
  private connection?: Promise<TrackedDispatcher>;

  constructor(
    private readonly session: ProbeSession,
    readonly name: string,
    readonly request: RequestSpec,
    readonly label: string,
  ) {}

  /** The same client against another base URL (a replica sharing the limit). */
  withBase(baseUrl: string): ProbeClient {
    return this.session.adopt(new ProbeClient(this.session, this.name, { ...this.request, baseUrl }, this.label));
  }

  /** One request on the client's connection. */
  async one(label = this.label): Promise<Observation> {
    const [o] = await this.send(1, { label, pipelined: false });
    return o!;
  }

  /**
   * `count` requests at once: pipelined on the client's connection (they reach one server process together), or
   * each on a connection of its own (as that many clients of one quota would send them). Optionally at an instant.
   */
  async burst(count: number, options: { at?: number; connections?: 'one' | 'many'; label?: string } = {}): Promise<Observation[]> {
    return this.send(count, { at: options.at, label: options.label ?? this.label, pipelined: true, many: options.connections === 'many' });
  }

  async close(): Promise<void> {
    if (this.connection) await (await this.connection).close();
  }

  private async send(count: number, options: { at?: number; label: string; pipelined: boolean; many?: boolean }): Promise<Observation[]> {
    if (count > MAX_BURST) {
      // More than one burst can carry (limits above ~500 need it): consecutive bursts, the first at the instant asked.
      const out: Observation[] = [];
      for (let sent = 0; sent < count; sent += MAX_BURST) {
        out.push(...(await this.send(Math.min(MAX_BURST, count - sent), { ...options, at: sent === 0 ? options.at : undefined })));
      }
      return out;
    }
    this.session.spend(count);
    if (options.at !== undefined && options.at > this.session.bounds.deadline) throw new BudgetExhausted('its time limit');
    const { ctx, policy } = this.session;
    const spec = { ...this.request, label: options.label };
    const result = options.many
      ? await fireBurst(ctx.http, spec, { count, at: options.at, connections: 'many' })
      : await fireOn(await this.dispatcher(), Array.from({ length: count }, () => ctx.http.prepare(spec)), {
          at: options.at,
          timeoutMs: spec.timeoutMs ?? ctx.http.options.timeoutMs,
          bodyCapBytes: ctx.http.options.bodyCapBytes,
          signal: ctx.signal,
          pipelined: options.pipelined,
        });
    const observations = this.session.record(result.responses.map((sent) => observe(this.name, result.firedAt, sent, policy.refusedStatus)));
    // In the order sent: the target saw them one after the other, a hundredth of a millisecond apart at most.
    observations.forEach((o, i) => this.session.placeInTime(o, result.firedAt + i * 0.01));
    return observations;
  }

  private dispatcher(): Promise<TrackedDispatcher> {
    const { http } = this.session.ctx;
    this.connection ??= createWarmPool(http.profile, http.prepare(this.request).url, 1, {
      identity: http.identityFor(this.request),
      localAddress: this.request.localAddress,
      // A handshake that never completes costs a probe one request deadline, not the profile's connect timeout.
      connectTimeoutMs: Math.min(http.profile.timeouts.connectMs, this.request.timeoutMs ?? http.options.timeoutMs),
      pipelining: CLIENT_PIPELINE,
    });
    return this.connection;
  }
}

/** A few exchanges worth showing: the first, the first refused, and the last. */
export function sampleExchanges(observations: readonly Observation[], max = 3): Exchange[] {
  const picks = [observations[0], observations.find((o) => o.refused), observations.at(-1)].filter((o): o is Observation => o !== undefined);
  return [...new Set(picks)].slice(0, max).map((o) => o.exchange);
}
