import type { AssertionResult, Exchange } from '../../results/model.js';
import { clip } from '../../util/clip.js';
import { headerTokens, responseHeader, statusOf } from '../response-headers.js';

/** One origin sent both ways: as the actual request and as its preflight. */
export interface ProbeExchange {
  origin: string;
  simple: Exchange;
  preflight: Exchange;
}

const SIMPLE_METHODS = new Set(['GET', 'HEAD', 'POST']);
/** Request headers a browser sends without asking (CORS-safelisted names). */
const SAFELISTED_HEADERS = new Set(['accept', 'accept-language', 'content-language']);

export function allowOrigin(exchange: Exchange): string | undefined {
  return responseHeader(exchange, 'access-control-allow-origin');
}

export function allowsCredentials(exchange: Exchange): boolean {
  return responseHeader(exchange, 'access-control-allow-credentials')?.trim().toLowerCase() === 'true';
}

/** The response lets the given origin read it: its own origin echoed back. */
export function grantsOrigin(exchange: Exchange, origin: string): boolean {
  return allowOrigin(exchange)?.trim().toLowerCase() === origin.toLowerCase();
}

export function isWildcard(exchange: Exchange): boolean {
  return allowOrigin(exchange)?.trim() === '*';
}

export function varyCoversOrigin(exchange: Exchange): boolean {
  const tokens = headerTokens(responseHeader(exchange, 'vary'));
  return tokens.includes('origin') || tokens.includes('*');
}

/** Every Access-Control-* header of a response, as `Name: value`, for messages that must say what was seen. */
export function corsHeadersSeen(exchange: Exchange): string[] {
  return Object.keys(exchange.response?.headers ?? {})
    .filter((name) => name.toLowerCase().startsWith('access-control-'))
    .sort()
    .map((name) => `${canonicalName(name)}: ${clip(responseHeader(exchange, name) ?? '', 80)}`);
}

function canonicalName(name: string): string {
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, letter: string) => dash + letter.toUpperCase());
}

/** One line for reports: what a response said about CORS. */
export function describeCors(exchange: Exchange): string {
  const status = statusOf(exchange);
  if (status === undefined) return exchange.transport ? `${exchange.transport.class}` : 'no response';
  const acao = allowOrigin(exchange);
  if (acao === undefined) return `${status}, no Access-Control-Allow-Origin`;
  return `${status}, Access-Control-Allow-Origin: ${acao}${allowsCredentials(exchange) ? ' with credentials' : ''}`;
}

export function probeSummary(probe: ProbeExchange): string {
  return `simple ${describeCors(probe.simple)}; preflight ${describeCors(probe.preflight)}`;
}

/** The bypass origin must not be granted, neither on the actual request nor on its preflight. */
export function bypassAssertion(probe: ProbeExchange): AssertionResult {
  return {
    name: `origin ${probe.origin} refused`,
    passed: !grantsOrigin(probe.simple, probe.origin) && !grantsOrigin(probe.preflight, probe.origin),
    expected: 'no Access-Control-Allow-Origin for it',
    actual: probeSummary(probe),
  };
}

function listed(allowList: string | undefined, wanted: string, credentialed: boolean, caseSensitive: boolean): boolean {
  const items = (allowList ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  const norm = (t: string) => (caseSensitive ? t : t.toLowerCase());
  if (items.map(norm).includes(norm(wanted))) return true;
  // `*` means "any" only for requests without credentials; with credentials it is a literal name.
  return items.includes('*') && !credentialed && wanted.toLowerCase() !== 'authorization';
}

export function methodAllowed(preflight: Exchange, method: string): boolean {
  if (SIMPLE_METHODS.has(method.toUpperCase())) return true;
  return listed(responseHeader(preflight, 'access-control-allow-methods'), method.toUpperCase(), allowsCredentials(preflight), false);
}

export function headerAllowed(preflight: Exchange, header: string): boolean {
  if (SAFELISTED_HEADERS.has(header.toLowerCase())) return true;
  return listed(responseHeader(preflight, 'access-control-allow-headers'), header, allowsCredentials(preflight), false);
}

/** The positive control: an allowed origin gets working CORS on the actual request and on the preflight. */
export function allowedOriginAssertions(
  probe: ProbeExchange,
  preflight: { method: string; headers: string[] },
  credentials: boolean | undefined,
): AssertionResult[] {
  const { origin, simple } = probe;
  const pre = probe.preflight;
  const granted = (e: Exchange) => grantsOrigin(e, origin) || (isWildcard(e) && !credentials);
  const out: AssertionResult[] = [
    { name: 'actual request allows the origin', passed: granted(simple), expected: `Access-Control-Allow-Origin: ${origin}`, actual: describeCors(simple) },
    { name: 'preflight answers 2xx', passed: (statusOf(pre) ?? 0) >= 200 && (statusOf(pre) ?? 0) < 300, expected: '2xx', actual: describeCors(pre) },
    { name: 'preflight allows the origin', passed: granted(pre), expected: `Access-Control-Allow-Origin: ${origin}`, actual: describeCors(pre) },
    {
      name: `preflight allows ${preflight.method}`,
      passed: methodAllowed(pre, preflight.method),
      expected: `${preflight.method} in Access-Control-Allow-Methods`,
      actual: responseHeader(pre, 'access-control-allow-methods') ?? '(absent)',
    },
  ];
  for (const header of preflight.headers) {
    out.push({
      name: `preflight allows header ${header}`,
      passed: headerAllowed(pre, header),
      expected: `${header} in Access-Control-Allow-Headers`,
      actual: responseHeader(pre, 'access-control-allow-headers') ?? '(absent)',
    });
  }
  if (credentials) {
    for (const [which, exchange] of [['actual request', simple], ['preflight', pre]] as const) {
      out.push({
        name: `${which} allows credentials`,
        passed: allowsCredentials(exchange) && !isWildcard(exchange),
        expected: 'Access-Control-Allow-Credentials: true with the origin itself (browsers refuse credentials with *)',
        actual: describeCors(exchange),
      });
    }
  }
  return out;
}
