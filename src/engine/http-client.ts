import { setTimeout as sleep } from 'node:timers/promises';
import type { Exchange } from '../results/model.js';
import { SecretRegistry } from '../results/secrets.js';
import type { ClientIdentity, KeyPlacement, TargetProfile } from '../scenario/types.js';
import { GauntletError } from '../util/errors.js';
import { createTrackedDispatcher, type DispatcherOptions, type TrackedDispatcher } from './dispatchers.js';
import { Pacer } from './pacer.js';
import { RequestBudget } from './request-budget.js';
import { send, unsent, type PreparedRequest, type SentRequest } from './send.js';
import { clip } from '../util/clip.js';
import { formatDuration } from '../util/duration.js';
import { describeThrottleWait, THROTTLE_ALLOWANCE_MS, throttleWait } from './throttle.js';

export type QueryValue = string | number | boolean;

/** A request as scenarios and check kinds describe it, relative to the target profile. */
export interface RequestSpec {
  method?: string;
  path?: string;
  query?: Record<string, QueryValue | QueryValue[]>;
  headers?: Record<string, string>;
  body?: { json?: unknown; text?: string; form?: Record<string, QueryValue> };
  /** A client identity from the profile, or `none`. Defaults to the profile's default identity. */
  identity?: string;
  /** An API key from the profile (by name, or with its placement), or `none`. Defaults to the profile's. */
  key?: string | KeyPlacement;
  /** A raw key value placed like a named key: for probes with values that are not in the profile. */
  rawKey?: { value: string; in: KeyPlacement['in']; header?: string; param?: string; /** A made-up key (a guess): not registered as a secret. */ madeUp?: boolean };
  /** Another base URL than the profile's target (a replica). */
  baseUrl?: string;
  localAddress?: string;
  timeoutMs?: number;
  label?: string;
  tls?: Pick<DispatcherOptions, 'minVersion' | 'maxVersion'>;
  /** Follow up to this many redirects, same origin only (default 0: a redirect is the answer). */
  followRedirects?: number;
  /** Leave out the profile's default headers, as a browser's CORS preflight carries none of an app's headers. */
  withoutProfileHeaders?: boolean;
  /**
   * The request is meant to meet the rate limit (a burst provoking a 429, an expected 429): a 429 is its answer,
   * not a reason to wait and send it again, and it does not wait for the profile's pace.
   */
  limitProbe?: boolean;
}

/** What a check's view tells its check while it waits on the harness's account. */
export interface CheckHooks {
  progress?(message: string): void;
}

export interface HttpClientOptions {
  timeoutMs: number;
  bodyCapBytes: number;
  signal?: AbortSignal;
  /** Told of every request sent and what came of it (the runner watches whether the target can be reached). */
  onExchange?(url: URL, exchange: Exchange): void;
}

const DEFAULT_KEY_HEADER = 'X-API-Key';
const DEFAULT_KEY_PARAM = 'api_key';

/** Puts a key value where its placement says: a header, Bearer or Basic authorization, the query, a cookie. */
export function placeKeyValue(placement: { value: string; in: KeyPlacement['in']; header?: string; param?: string }, headers: Record<string, string>, url: URL): void {
  const { value } = placement;
  if (placement.in === 'query') url.searchParams.append(placement.param ?? DEFAULT_KEY_PARAM, value);
  else if (placement.in === 'bearer') headers.Authorization = `Bearer ${value}`;
  else if (placement.in === 'basic') headers.Authorization = `Basic ${Buffer.from(value, 'utf8').toString('base64')}`;
  else if (placement.in === 'cookie') {
    const cookie = `${placement.param ?? DEFAULT_KEY_PARAM}=${value}`;
    const existing = Object.keys(headers).find((h) => h.toLowerCase() === 'cookie');
    if (existing) headers[existing] = `${headers[existing]}; ${cookie}`;
    else headers.Cookie = cookie;
  } else headers[placement.header ?? DEFAULT_KEY_HEADER] = value;
}

/**
 * Builds and sends requests for check kinds: one undici Agent per identity (and source address). The runner gives
 * each check its own view (`forCheck`): the same connections, the check's abort signal and its request budget.
 */
export class HttpClient {
  constructor(
    readonly profile: TargetProfile,
    readonly options: HttpClientOptions,
    private readonly secrets: SecretRegistry,
    private readonly dispatchers = new Map<string, TrackedDispatcher>(),
    private readonly budget?: RequestBudget,
    private readonly hooks: CheckHooks = {},
    private readonly pacer = new Pacer(profile.pace),
  ) {}

  /**
   * A view for one check: shared connections, the check's own signal, at most `maxRequests` requests, and a
   * 429 met by one of its ordinary requests waited out and retried once (see `send`).
   */
  forCheck(signal: AbortSignal, maxRequests: number, hooks: CheckHooks = {}): HttpClient {
    return new HttpClient(this.profile, { ...this.options, signal }, this.secrets, this.dispatchers, new RequestBudget(maxRequests), hooks, this.pacer);
  }

  /** The view's budget: requests sent, and the time the harness spent for its check. */
  get requestBudget(): RequestBudget | undefined {
    return this.budget;
  }

  /**
   * Sends a request (following same-origin redirects when asked). In a check's view, an answer of 429 to a request
   * that is not a `limitProbe` means earlier traffic spent the target's quota: the request is sent once more after
   * the 429's Retry-After (else DEFAULT_THROTTLE_WAIT_MS), if the check's allowance for such waits still covers it,
   * and the exchange records it (`throttled`, and a note).
   */
  async send(spec: RequestSpec): Promise<SentRequest> {
    let prepared = this.prepare(spec);
    const dispatcher = this.dispatcherFor(spec);
    const options = { timeoutMs: spec.timeoutMs ?? this.options.timeoutMs, bodyCapBytes: this.options.bodyCapBytes, signal: this.options.signal };
    const budgeted = async (request: PreparedRequest, retry = false): Promise<SentRequest> => {
      const refusal = this.budget?.admit({ retry });
      if (refusal) return unsent(request, refusal);
      if (!spec.limitProbe) await this.awaitTurn();
      const result = await send(dispatcher, request, options);
      this.budget?.record(result.exchange);
      this.options.onExchange?.(request.url, result.exchange);
      return result;
    };
    const attempt = async (request: PreparedRequest): Promise<SentRequest> => {
      const first = await budgeted(request);
      if (spec.limitProbe || first.exchange.response?.status !== 429 || !this.budget) return first;
      return this.retryThrottled(first, () => budgeted(request, true), options.timeoutMs);
    };
    let sent = await attempt(prepared);
    const hops: { status: number; location: string }[] = [];
    const limit = spec.followRedirects ?? 0;
    const note = (text: string) => (sent.exchange.notes = [...(sent.exchange.notes ?? []), text]);
    for (let location = redirectLocation(sent); location !== undefined && limit > 0; location = redirectLocation(sent)) {
      let next: URL;
      try {
        next = new URL(location, prepared.url);
      } catch {
        note(`redirect not followed: Location '${clip(location, 200)}' is not a URL`);
        break;
      }
      if (next.origin !== prepared.url.origin) {
        note(`redirect to ${next.origin} not followed: gauntlet never follows a redirect to another origin`);
        break;
      }
      if (hops.length === limit) {
        note(`stopped after ${limit} redirect(s) (followRedirects)`);
        break;
      }
      const status = sent.exchange.response!.status;
      hops.push({ status, location: next.toString() });
      const keepsMethod = status === 307 || status === 308;
      prepared = { ...prepared, url: next, method: keepsMethod ? prepared.method : 'GET', body: keepsMethod ? prepared.body : undefined };
      sent = await attempt(prepared);
    }
    if (hops.length) sent.exchange.redirects = hops;
    return sent;
  }

  /** Waits for this request's turn at the profile's pace (the check's time bound grows by the wait). */
  private async awaitTurn(): Promise<void> {
    const wait = this.pacer.reserve();
    if (wait <= 0) return;
    this.budget?.addHarnessTime(wait);
    await sleep(wait, undefined, { signal: this.options.signal }).catch(() => undefined);
  }

  /** After a 429: waits as it says (within the check's allowance) and sends the request once more. */
  private async retryThrottled(first: SentRequest, again: () => Promise<SentRequest>, deadlineMs: number): Promise<SentRequest> {
    const budget = this.budget!;
    const wait = throttleWait(first.exchange);
    const said = describeThrottleWait(wait);
    budget.throttles.met++;
    const notRetried = (why: string): SentRequest => {
      first.exchange.throttled = { retryAfter: wait.retryAfter, waitMs: 0, waitFrom: wait.from, retried: false, notRetried: why };
      addNote(first.exchange, `throttled: answered 429 (${said}); not sent again: ${why}`);
      return first;
    };
    if (!budget.claimThrottleWait(wait.ms)) {
      return notRetried(`waiting ${formatDuration(wait.ms)} is more than this check may still wait for 429s (${formatDuration(budget.throttleWaitLeftMs)} of ${formatDuration(THROTTLE_ALLOWANCE_MS)})`);
    }
    this.hooks.progress?.(`answered 429: waiting ${formatDuration(wait.ms)} (${wait.from === 'retry-after' ? said : 'default'}) before sending it again`);
    await sleep(wait.ms, undefined, { signal: this.options.signal }).catch(() => undefined);
    if (this.options.signal?.aborted) return notRetried('the check was stopped while it waited');
    // The retry may take up to its deadline: reserved first, so a watchdog firing meanwhile counts it.
    budget.addHarnessTime(deadlineMs);
    const retry = await again();
    budget.addHarnessTime(retry.exchange.timings.totalMs - deadlineMs);
    budget.throttles.retried++;
    budget.throttles.waitedMs += wait.ms;
    retry.exchange.throttled = { retryAfter: wait.retryAfter, waitMs: wait.ms, waitFrom: wait.from, retried: true };
    const again429 = retry.exchange.response?.status === 429 ? '; answered 429 again, and not retried a second time' : '';
    addNote(retry.exchange, `throttled: first answered 429 (${said}); waited ${formatDuration(wait.ms)} and sent it once more${again429}`);
    return retry;
  }

  prepare(spec: RequestSpec): PreparedRequest {
    const url = this.url(spec);
    const headers: Record<string, string> = spec.withoutProfileHeaders ? {} : { ...this.profile.headers };
    for (const [name, value] of Object.entries(spec.headers ?? {})) headers[name] = value;
    let body: string | undefined;
    if (spec.body?.json !== undefined) {
      body = JSON.stringify(spec.body.json);
      setDefault(headers, 'content-type', 'application/json');
    } else if (spec.body?.text !== undefined) {
      body = spec.body.text;
      setDefault(headers, 'content-type', 'text/plain; charset=utf-8');
    } else if (spec.body?.form !== undefined) {
      body = new URLSearchParams(Object.entries(spec.body.form).map(([k, v]): [string, string] => [k, String(v)])).toString();
      setDefault(headers, 'content-type', 'application/x-www-form-urlencoded');
    }
    this.placeKey(spec, headers, url);
    for (const [name, value] of Object.entries(headers)) {
      if (/^(authorization|proxy-authorization|cookie)$/i.test(name)) this.secrets.add(value.replace(/^\S+\s+/, ''));
    }
    return { method: (spec.method ?? 'GET').toUpperCase(), url, headers, body, label: spec.label, identity: this.identityName(spec), localAddress: spec.localAddress };
  }

  private url(spec: RequestSpec): URL {
    const base = spec.baseUrl ?? this.profile.baseUrl;
    const path = spec.path ?? '/';
    const url = new URL(base.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`));
    for (const [name, value] of Object.entries(spec.query ?? {})) {
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(item));
    }
    return url;
  }

  private placeKey(spec: RequestSpec, headers: Record<string, string>, url: URL): void {
    let placement: NonNullable<RequestSpec['rawKey']> | undefined = spec.rawKey;
    if (!placement) {
      const key = spec.key ?? this.profile.defaults.key;
      if (key === undefined || key === 'none') return;
      const named: KeyPlacement = typeof key === 'string' ? { name: key, in: this.profile.defaults.key?.in ?? 'header' } : key;
      const value = this.profile.keys.get(named.name);
      if (value === undefined) {
        throw new GauntletError('E_UNKNOWN_KEY', `API key '${named.name}' is not defined in the target profile (keys:)`);
      }
      placement = { ...named, value };
    }
    // Thousands of guesses would each widen the redaction of every string; they reveal nothing, so they stay out.
    if (!placement.madeUp) this.secrets.add(placement.value);
    placeKeyValue(placement, headers, url);
  }

  private identityName(spec: RequestSpec): string | undefined {
    const name = spec.identity ?? this.profile.defaults.identity;
    return name === 'none' ? undefined : name;
  }

  /** The client identity a request would present (resolved from the spec and the profile's default). */
  identityFor(spec: RequestSpec): ClientIdentity | undefined {
    const name = this.identityName(spec);
    if (name === undefined) return undefined;
    const identity = this.profile.tls.identities.get(name);
    if (!identity) throw new GauntletError('E_UNKNOWN_IDENTITY', `client identity '${name}' is not defined in the target profile (tls.identities)`);
    return identity;
  }

  private dispatcherFor(spec: RequestSpec): TrackedDispatcher {
    const identityName = this.identityName(spec);
    const cacheKey = JSON.stringify([identityName, spec.localAddress, spec.tls?.minVersion, spec.tls?.maxVersion]);
    let tracked = this.dispatchers.get(cacheKey);
    if (!tracked) {
      const identity = this.identityFor(spec);
      tracked = createTrackedDispatcher(this.profile, {
        connectTimeoutMs: this.profile.timeouts.connectMs,
        identity,
        localAddress: spec.localAddress,
        ...spec.tls,
      });
      this.dispatchers.set(cacheKey, tracked);
    }
    return tracked;
  }

  async close(): Promise<void> {
    await Promise.all([...this.dispatchers.values()].map((d) => d.close()));
    this.dispatchers.clear();
  }
}

function addNote(exchange: Exchange, text: string): void {
  exchange.notes = [...(exchange.notes ?? []), text];
}

function redirectLocation(sent: SentRequest): string | undefined {
  const response = sent.exchange.response;
  if (!response || response.status < 300 || response.status > 399) return undefined;
  const location = response.headers.location;
  return Array.isArray(location) ? location[0] : location;
}

function setDefault(headers: Record<string, string>, name: string, value: string): void {
  if (!Object.keys(headers).some((h) => h.toLowerCase() === name)) headers[name] = value;
}
