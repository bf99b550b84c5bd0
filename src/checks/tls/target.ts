import type { TargetProfile } from '../../scenario/types.js';
import type { CheckContext } from '../types.js';

export interface TlsTarget {
  host: string;
  port: number;
  servername?: string;
  /** The name the certificate must be valid for. */
  verifyName: string;
  /** The target is http://: there is no TLS at all, which is itself the finding. */
  plain?: boolean;
  error?: string;
}

/** Where to connect (the profile's target) and which name to verify (spec host, tls.servername, target host). */
export function tlsTarget(profile: TargetProfile, host: string | undefined): TlsTarget {
  const url = new URL(profile.baseUrl);
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const target = { host: hostname, port: Number(url.port || 443), servername: profile.tls.servername, verifyName: host ?? profile.tls.servername ?? hostname };
  if (url.protocol === 'http:') return { ...target, plain: true };
  if (url.protocol !== 'https:') return { ...target, error: `the target ${profile.baseUrl} is not https://: there is no TLS to probe` };
  return target;
}

/**
 * An HTTP/1.1 request for a raw TLS probe, with what the profile adds to every request (default headers, the
 * default API key), so a protected path answers for the certificate and not for a missing key.
 */
export function rawHttpRequest(ctx: CheckContext, path: string): string {
  const prepared = ctx.http.prepare({ path, identity: 'none' });
  const headers = Object.entries(prepared.headers).filter(([name]) => !/^(host|connection)$/i.test(name));
  headers.push(['host', prepared.url.host], ['connection', 'close']);
  const lines = headers.map(([name, value]) => `${name}: ${String(value).replace(/[\r\n]+/g, ' ')}`);
  return `GET ${prepared.url.pathname}${prepared.url.search} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}
