import { isIP } from 'node:net';
import { GauntletError } from '../util/errors.js';

/**
 * 127.0.0.0/8, ::1 (and its IPv4-mapped form), or the name localhost. Not `*.localhost`: RFC 6761 says those are
 * loopback, but a resolver without that rule (glibc without systemd-resolved) asks DNS, which may answer anything.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) {
    if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
    // IPv4-mapped 127/8, as written (::ffff:127.0.0.1) or as URL parsing rewrites it (::ffff:7f00:1).
    return /^::ffff:(?:127\.|7f[0-9a-f]{2}:)/.test(host);
  }
  return false;
}

export interface LoadGuardOptions {
  /** What would be sent, for the message (default "bursts or load"). */
  what?: string;
  /** How to send less instead, for the message. */
  smaller?: string;
  /** Which hosts count as loopback (default isLoopbackHost); tests narrow it to stand a local server in for a remote one. */
  isLoopback?: (hostname: string) => boolean;
}

/**
 * Bursts and load go to loopback only, unless the user said otherwise (--allow-load or allowLoad: true in the
 * profile). The runner calls it before any check that sends more than a handful of requests, or any at once,
 * and the kinds that send bursts or load call it again before they do.
 */
export function assertLoadAllowed(urls: string[], allowLoad: boolean, options: LoadGuardOptions = {}): void {
  if (allowLoad) return;
  const isLoopback = options.isLoopback ?? isLoopbackHost;
  const outside = [...new Set(urls.filter((u) => !isLoopback(new URL(u).hostname)))];
  if (outside.length) {
    const smaller = options.smaller ? `, or ${options.smaller}` : '';
    throw new GauntletError(
      'E_LOAD_NOT_ALLOWED',
      `refusing to send ${options.what ?? 'bursts or load'} to ${outside.join(', ')}: not a loopback address. Pass --allow-load (or allowLoad: true in the profile) if you own this target${smaller}.`,
    );
  }
}
