import { createServer } from 'node:net';
import type { RequestSpec } from '../../engine/http-client.js';
import type { TargetProfile } from '../../scenario/types.js';
import type { DeclaredPolicy, Probe } from './spec.js';

/**
 * One client with a quota of its own, as the limiter keys it: an API key, a client identity (many gateways limit
 * per certificate DN), or a source address (a limit per IP).
 */
export interface Caller {
  /** How reports name it: the profile key or identity name, or the address. */
  name: string;
  key?: string;
  identity?: string;
  localAddress?: string;
}

/**
 * The caller the base request itself is, by what the limit is keyed on, named like the policy's callers (the
 * profile's default key or identity when the request names none), so it is never counted twice.
 */
export function baseCaller(base: RequestSpec, keyedOn: string, profile: TargetProfile): Caller {
  if (keyedOn === 'identity') return { name: base.identity ?? profile.defaults.identity ?? 'no client identity' };
  if (keyedOn === 'ip') return { name: base.localAddress ?? 'this host' };
  const key = base.key ?? profile.defaults.key;
  return { name: (typeof key === 'string' ? key : key?.name) ?? 'no API key' };
}

/** The base request as sent by `caller`: its key, identity or source address in place of the base's. */
export function requestOf(base: RequestSpec, caller: Caller): RequestSpec {
  const spec: RequestSpec = { ...base };
  if (caller.key !== undefined) spec.key = typeof base.key === 'object' ? { ...base.key, name: caller.key } : caller.key;
  if (caller.identity !== undefined) spec.identity = caller.identity;
  if (caller.localAddress !== undefined) spec.localAddress = caller.localAddress;
  return spec;
}

/** 127.0.0.2, 127.0.0.3, ...: on Linux every address of 127.0.0.0/8 is this host's, so each is a distinct client IP. */
export function loopbackSources(count: number): Caller[] {
  return Array.from({ length: Math.min(count, 250) }, (_, i) => ({ name: `127.0.0.${i + 2}`, localAddress: `127.0.0.${i + 2}` }));
}

/** Whether a target host is an IPv4 loopback address (written as one), so that other loopback sources reach it. */
export function isIpv4Loopback(hostname: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** Whether this host can send from `address` (Linux can from all of 127.0.0.0/8; macOS only from 127.0.0.1). */
export function canSendFrom(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(0, address, () => server.close(() => resolve(true)));
  });
}

/**
 * The callers with a quota of their own, by what the limit is keyed on: the policy's keys for a limit per key, its
 * identities for one per client certificate, distinct loopback source addresses (as many as the selected probes
 * take) for one per IP on a loopback target, none for a global limit (every caller shares it).
 */
export async function callersOf(policy: DeclaredPolicy, keyedOn: string, target: URL, probes: Probe[]): Promise<Caller[]> {
  if (keyedOn === 'key') return (policy.keys ?? []).map((key) => ({ name: key, key }));
  if (keyedOn === 'identity') return (policy.identities ?? []).map((identity) => ({ name: identity, identity }));
  if (keyedOn !== 'ip' || !isIpv4Loopback(target.hostname)) return [];
  const sources = loopbackSources(callersTaken(probes));
  return (await canSendFrom(sources[0]?.localAddress ?? '127.0.0.2')) ? sources : [];
}

/** How many fresh callers the probes take in all, so that none waits for another's quota to come back. */
export function callersTaken(probes: readonly Probe[]): number {
  return probes.reduce((n, p) => n + CALLERS_TAKEN[p], 0);
}

/** How many fresh callers each probe takes (the boundary probe takes one more when the window never reopens). */
export const CALLERS_TAKEN: Record<Probe, number> = {
  discovery: 1,
  'retry-after': 2,
  'header-truth': 1,
  boundary: 1,
  refill: 1,
  isolation: 2,
  'refused-counted': 2,
  concurrency: 1,
  replicas: 1,
  fingerprint: 1,
  'guessed-keys': 1,
  'key-placement': 1,
  'forwarded-for': 1,
};
