import { fireBurst, MAX_BURST, openChannel, type BurstChannel, type Transport } from '../../engine/burst.js';
import type { RequestSpec } from '../../engine/http-client.js';
import { sleep, waitUntil, wallClockMs } from '../../engine/wall-clock.js';
import type { Exchange } from '../../results/model.js';
import { formatDuration } from '../../util/duration.js';
import { GauntletError } from '../../util/errors.js';
import type { CheckContext } from '../types.js';
import { requestOf, type Caller } from './callers.js';
import { observe, type Observation, type StatusClassifier } from './observation.js';

export interface SessionPolicy {
  limit: number;
  windowMs: number;
  recoveryMs: number;
  /** What an answer counts as: admitted (2xx unless the check says otherwise), refused by the limiter, or neither. */
  classify: StatusClassifier;
  /** Callers with a quota of their own besides the base request's, handed out one per probe before any waits. */
  callers: Caller[];
  transport: Transport;
  /** How many fresh callers the selected probes take in all (for the note when they must wait). */
  callersWanted: number;
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

/** A probe needs more distinct callers at once than the policy names. */
export class TooFewCallers extends GauntletError {
  readonly missing: number;
  constructor(needed: number, available: number, named: number, ownListed: boolean) {
    const listed = named === 0 ? 'the policy names none' : `the policy names ${named}`;
    const own = ownListed ? "the request's own among them" : "plus the request's own";
    super('E_CALLERS', `it needs ${needed} distinct callers at once and has ${available} (${listed}, ${own})`);
    this.missing = needed - available;
  }
}

interface CallerState {
  caller: Caller;
  /** When it was last handed out or last sent a request (wall-clock ms); undefined: never, its quota is whole. */
  lastUse?: number;
}

/**
 * Everything the probes share: the base request, the policy, the callers and when each last spent quota, the
 * trace of every request (replayed by the fingerprint), and the bounds of the whole check in requests and time.
 */
export class ProbeSession {
  readonly trace: Observation[] = [];
  private sent = 0;
  private minRoundTripMs = Number.POSITIVE_INFINITY;
  private readonly callers: CallerState[];
  private readonly ownListed: boolean;
  private clients: ProbeClient[] = [];
  private notes: string[] = [];

  constructor(
    readonly ctx: CheckContext,
    readonly base: RequestSpec,
    readonly policy: SessionPolicy,
    readonly bounds: SessionBounds,
    ownCaller: Caller,
  ) {
    // The policy's own callers first: the base request's quota may have been used by the checks before this one.
    this.ownListed = policy.callers.some((c) => c.name === ownCaller.name);
    this.callers = [...policy.callers, ...(this.ownListed ? [] : [ownCaller])].map((caller) => ({ caller }));
  }

  /** How many distinct callers (each with a quota of its own) the probes can use. */
  get callerCount(): number {
    return this.callers.length;
  }

  /**
   * A client with a whole quota: a caller never used, or else the one whose quota comes back soonest, after it
   * has stayed quiet for the recovery time (a note says how long the probe waited). `distinctFrom`: callers the
   * probe holds already, for probes that need two clients at once.
   */
  async freshClient(label: string, options: { distinctFrom?: ProbeClient[] } = {}): Promise<ProbeClient> {
    const taken = new Set((options.distinctFrom ?? []).map((c) => c.name));
    const free = this.callers.filter((s) => !taken.has(s.caller.name));
    if (free.length === 0) throw new TooFewCallers(taken.size + 1, this.callers.length, this.policy.callers.length, this.ownListed);
    const readyAt = (s: CallerState) => (s.lastUse === undefined ? Number.NEGATIVE_INFINITY : s.lastUse + this.policy.recoveryMs);
    const state = free.reduce((best, s) => (readyAt(s) < readyAt(best) ? s : best));
    const wait = readyAt(state) - wallClockMs();
    if (wait > 0) {
      const named = this.policy.callers.length;
      this.notes.push(`waited ${formatDuration(wait)} for ${state.caller.name} to have its whole quota again: the selected probes take ${this.policy.callersWanted} fresh callers, the policy names ${named === 0 ? 'none' : named} (keys:, identities:)`);
      await this.sleepUntil(readyAt(state));
    }
    state.lastUse = wallClockMs();
    const client = new ProbeClient(this, state.caller.name, requestOf(this.base, state.caller), label);
    return this.adopt(client);
  }

  adopt(client: ProbeClient): ProbeClient {
    this.clients.push(client);
    return client;
  }

  /** Ends a probe: closes its clients' connections and hands over the notes it gathered. */
  async endProbe(): Promise<string[]> {
    const clients = this.clients;
    const notes = this.notes;
    this.clients = [];
    this.notes = [];
    await Promise.all(clients.map((c) => c.close()));
    return notes;
  }

  /** Closes every client's connection. */
  async close(): Promise<void> {
    await this.endProbe();
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
      const state = this.callers.find((s) => s.caller.name === o.client);
      if (state) state.lastUse = Math.max(state.lastUse ?? 0, o.sentAt + o.latencyMs);
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

/**
 * One caller's client, holding its connections for all it sends, as a real client would: by default a pool with
 * one request in flight on each connection (`parallel`), or one connection (`pipelined`, `sequential`).
 */
export class ProbeClient {
  private channel?: BurstChannel;

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

  /** The same caller sending another request (its key elsewhere, another header): same quota, own connections. */
  variant(request: RequestSpec, label = this.label): ProbeClient {
    return this.session.adopt(new ProbeClient(this.session, this.name, request, label));
  }

  /** One request. */
  async one(label = this.label): Promise<Observation> {
    const [o] = await this.send([this.request], { label });
    return o!;
  }

  /**
   * `count` requests at once, over the check's transport, or each on a connection of its own (`many`: as that
   * many clients of one quota would send them). Optionally at an instant.
   */
  burst(count: number, options: { at?: number; connections?: 'many'; label?: string } = {}): Promise<Observation[]> {
    return this.send(Array.from({ length: count }, () => this.request), { at: options.at, label: options.label ?? this.label, many: options.connections === 'many' });
  }

  /** Requests that differ (a guessed key each, say) sent at once like a burst; same target, identity and source. */
  burstOf(requests: RequestSpec[], options: { at?: number; label?: string } = {}): Promise<Observation[]> {
    return this.send(requests, { at: options.at, label: options.label ?? this.label });
  }

  async close(): Promise<void> {
    await this.channel?.close();
  }

  private async send(requests: RequestSpec[], options: { at?: number; label: string; many?: boolean }): Promise<Observation[]> {
    if (requests.length > MAX_BURST) {
      // More than one burst can carry (limits above ~500 need it): consecutive bursts, the first at the instant asked.
      const out: Observation[] = [];
      for (let sent = 0; sent < requests.length; sent += MAX_BURST) {
        out.push(...(await this.send(requests.slice(sent, sent + MAX_BURST), { ...options, at: sent === 0 ? options.at : undefined })));
      }
      return out;
    }
    if (this.session.policy.transport === 'sequential' && !options.many && requests.length > 1) {
      // In turn, a burst of N takes N round trips: each request is held to the check's bounds, not only the first,
      // or a slow target keeps the burst going long past the time limit (the bound allows one deadline past it).
      const out: Observation[] = [];
      for (const [i, request] of requests.entries()) out.push(...(await this.send([request], { ...options, at: i === 0 ? options.at : undefined })));
      return out;
    }
    this.session.spend(requests.length);
    if (options.at !== undefined && options.at > this.session.bounds.deadline) throw new BudgetExhausted('its time limit');
    const { ctx, policy } = this.session;
    const specs = requests.map((r) => ({ ...r, label: options.label }));
    const fire = { at: options.at, timeoutMs: this.request.timeoutMs ?? ctx.http.options.timeoutMs, bodyCapBytes: ctx.http.options.bodyCapBytes, signal: ctx.signal };
    const result = options.many
      ? await fireBurst(ctx.http, specs[0]!, { count: specs.length, at: options.at, vary: (i) => specs[i]!, connections: specs.length })
      : await this.channelOf().fire(specs.map((s) => ctx.http.prepare(s)), fire);
    const observations = this.session.record(result.responses.map((sent, i) => observe(this.name, result.sentAt[i]!, sent, policy.classify)));
    observations.forEach((o, i) => this.session.placeInTime(o, result.sentAt[i]!));
    return observations;
  }

  private channelOf(): BurstChannel {
    this.channel ??= openChannel(this.session.ctx.http, this.request, this.session.policy.transport);
    return this.channel;
  }
}

/** A few exchanges worth showing: the first, the first refused, and the last. */
export function sampleExchanges(observations: readonly Observation[], max = 3): Exchange[] {
  const picks = [observations[0], observations.find((o) => o.refused), observations.at(-1)].filter((o): o is Observation => o !== undefined);
  return [...new Set(picks)].slice(0, max).map((o) => o.exchange);
}
