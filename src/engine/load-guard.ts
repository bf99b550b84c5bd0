import { isIP } from 'node:net';
import { GauntletError } from '../util/errors.js';

/** 127.0.0.0/8, ::1 (and its IPv4-mapped form), or the name localhost. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || /^::ffff:127\./.test(host) || host === '0:0:0:0:0:0:0:1';
  return false;
}

/**
 * Bursts and load go to loopback only, unless the user said otherwise (--allow-load or allowLoad: true in the
 * profile). Called by every kind that sends more than a handful of requests, before it sends any.
 */
export function assertLoadAllowed(urls: string[], allowLoad: boolean): void {
  if (allowLoad) return;
  const outside = urls.filter((u) => !isLoopbackHost(new URL(u).hostname));
  if (outside.length) {
    throw new GauntletError(
      'E_LOAD_NOT_ALLOWED',
      `refusing to send bursts or load to ${outside.join(', ')}: not a loopback address. Pass --allow-load (or allowLoad: true in the profile) if you own this target.`,
    );
  }
}
