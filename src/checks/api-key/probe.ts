import type { RequestSpec } from '../../engine/http-client.js';
import type { SentRequest } from '../../engine/send.js';
import type { AssertionResult, Exchange } from '../../results/model.js';
import type { CheckContext, CheckOutcome } from '../types.js';
import type { KeyIn } from './spec.js';

/** One request of the matrix, with the key value it carried (kept to look for echoes). */
export interface Probe {
  label: string;
  key?: string;
  sent: SentRequest;
}

/**
 * Sends the protected request with the key of a case: a profile key by name, a made-up value, or none.
 * Every probe is kept, so the exposure cases can look at all answers at the end.
 */
export class KeyProber {
  readonly probes: Probe[] = [];

  constructor(
    private readonly ctx: CheckContext,
    private readonly base: RequestSpec,
    readonly placement: { in: KeyIn; header?: string; param?: string },
  ) {}

  /** A key from the profile, by name. */
  async named(label: string, name: string, extra: Partial<RequestSpec> = {}): Promise<SentRequest> {
    return this.record(label, this.ctx.profile.keys.get(name), {
      ...this.base,
      ...extra,
      label,
      key: { name, in: this.placement.in, header: this.placement.header, param: this.placement.param },
    });
  }

  /**
   * A value that is not a profile key (a made-up or freshly created one), placed like the others. It is not
   * registered as a secret here: a created key is registered where it is issued, a guess reveals nothing.
   */
  async value(label: string, value: string, extra: Partial<RequestSpec> = {}): Promise<SentRequest> {
    return this.record(label, value, { ...this.base, ...extra, label, key: 'none', rawKey: { value, ...this.placement, madeUp: true } });
  }

  /** No key in a header (the profile's default key is left out too); `carried` names a key sent elsewhere. */
  async none(label: string, extra: Partial<RequestSpec> = {}, carried?: string): Promise<SentRequest> {
    return this.record(label, carried, { ...this.base, ...extra, label, key: 'none' });
  }

  get baseQuery(): RequestSpec['query'] {
    return this.base.query;
  }

  private async record(label: string, key: string | undefined, spec: RequestSpec): Promise<SentRequest> {
    const sent = await this.ctx.http.send(spec);
    this.probes.push({ label, key, sent });
    return sent;
  }
}

export const statusOf = (sent: SentRequest): number | undefined => sent.exchange.response?.status;
export const is2xx = (status: number | undefined) => status !== undefined && status >= 200 && status < 300;

export function header(exchange: Exchange, name: string): string | undefined {
  const value = exchange.response?.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

export interface CaseInfo {
  suffix: string;
  title: string;
}

/** A case whose requests could not all be answered: errored, with the transport class. */
export function transportFailure(info: CaseInfo, sent: SentRequest[]): CheckOutcome | undefined {
  const failed = sent.find((s) => s.exchange.transport);
  if (!failed) return undefined;
  const t = failed.exchange.transport!;
  return {
    idSuffix: info.suffix,
    title: info.title,
    status: 'errored',
    message: `${t.class}: ${t.message} (${t.code})`,
    transport: t.class,
    evidence: { exchanges: sent.map((s) => s.exchange) },
  };
}

/** Passed when every assertion holds; otherwise failed with `failMessage` (or the first failed assertion). */
export function caseOutcome(
  info: CaseInfo,
  sent: SentRequest[],
  assertions: AssertionResult[],
  passMessage: string,
  failMessage?: string,
  data?: Record<string, unknown>,
): CheckOutcome {
  const errored = transportFailure(info, sent);
  if (errored) return errored;
  const failures = assertions.filter((a) => !a.passed);
  const evidence = { exchanges: sent.map((s) => s.exchange), ...(data ? { data } : {}) };
  if (failures.length === 0) return { idSuffix: info.suffix, title: info.title, status: 'passed', message: passMessage, assertions, evidence };
  const first = failures[0]!;
  const message = failMessage ?? `${first.name}: expected ${first.expected ?? 'to hold'}, got ${first.actual ?? 'something else'}`;
  return { idSuffix: info.suffix, title: info.title, status: 'failed', message, assertions, evidence };
}

export function skipped(info: CaseInfo, reason: string): CheckOutcome {
  return { idSuffix: info.suffix, title: info.title, status: 'skipped', message: reason, evidence: {} };
}

export function errored(info: CaseInfo, message: string, sent: SentRequest[] = []): CheckOutcome {
  return { idSuffix: info.suffix, title: info.title, status: 'errored', message, evidence: { exchanges: sent.map((s) => s.exchange) } };
}

export function statusAssertion(name: string, expected: string, status: number | undefined, passed: boolean): AssertionResult {
  return { name, passed, expected, actual: status === undefined ? '(no answer)' : String(status) };
}
