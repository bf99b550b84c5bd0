import type { AssertionResult, Exchange } from '../../results/model.js';
import { headerCount, responseHeader } from '../response-headers.js';

/** Referrer policies that never send the full URL cross-origin (MDN HTTP Observatory's passing set). */
export const SAFE_REFERRER_POLICIES = ['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'];
export const REFERRER_POLICIES = [...SAFE_REFERRER_POLICIES, 'no-referrer-when-downgrade', 'origin', 'origin-when-cross-origin', 'unsafe-url'];
const KNOWN_REFERRER_POLICIES = new Set(REFERRER_POLICIES);

export interface HeaderRules {
  contentTypeOptions: boolean;
  framing: boolean;
  /** Allowed policies, or false for no requirement. */
  referrerPolicy: string[] | false;
  cacheControl: boolean;
  contentType: boolean;
  xssProtection: boolean;
}

export const DEFAULT_RULES: HeaderRules = {
  contentTypeOptions: true,
  framing: true,
  referrerPolicy: SAFE_REFERRER_POLICIES,
  cacheControl: true,
  contentType: true,
  xssProtection: true,
};

const shown = (value: string | undefined) => value ?? '(absent)';

/** The directive's sources from a CSP (the first policy that has it), or undefined. */
export function cspDirective(csp: string | undefined, directive: string): string[] | undefined {
  for (const policy of (csp ?? '').split(',')) {
    for (const part of policy.split(';')) {
      const [name, ...sources] = part.trim().split(/\s+/);
      if (name?.toLowerCase() === directive) return sources;
    }
  }
  return undefined;
}

/** The policy a browser applies: the last one it recognises in a comma-separated list. */
export function effectiveReferrerPolicy(value: string | undefined): string | undefined {
  const tokens = (value ?? '').split(',').map((t) => t.trim().toLowerCase()).filter((t) => KNOWN_REFERRER_POLICIES.has(t));
  return tokens.at(-1);
}

/**
 * The protective headers one response must carry, as MDN's HTTP Observatory and OWASP's cheat sheets judge
 * them. `authenticated` responses must also not be stored by caches.
 */
export function protectiveHeaderAssertions(exchange: Exchange, rules: HeaderRules, authenticated: boolean): AssertionResult[] {
  const out: AssertionResult[] = [];
  const get = (name: string) => responseHeader(exchange, name);

  if (rules.contentTypeOptions) {
    const value = get('x-content-type-options');
    out.push({
      name: 'X-Content-Type-Options is nosniff',
      passed: value?.trim().toLowerCase() === 'nosniff' && headerCount(exchange, 'x-content-type-options') === 1,
      expected: 'nosniff',
      actual: shown(value),
    });
  }
  if (rules.framing) {
    const xfo = get('x-frame-options');
    const ancestors = cspDirective(get('content-security-policy'), 'frame-ancestors');
    const cspDenies = ancestors !== undefined && !ancestors.some((s) => s === '*' || /^(https?|wss?):$/i.test(s));
    const xfoDenies = xfo !== undefined && headerCount(exchange, 'x-frame-options') === 1 && /^(deny|sameorigin)$/i.test(xfo.trim());
    out.push({
      name: 'framing is restricted',
      passed: cspDenies || xfoDenies,
      expected: "X-Frame-Options DENY or SAMEORIGIN, or CSP frame-ancestors ('none' or trusted sources)",
      actual: `X-Frame-Options: ${shown(xfo)}; frame-ancestors: ${ancestors ? ancestors.join(' ') || '(empty)' : '(absent)'}`,
    });
  }
  if (rules.referrerPolicy) {
    const value = get('referrer-policy');
    const effective = effectiveReferrerPolicy(value);
    out.push({
      name: 'Referrer-Policy is safe',
      passed: effective !== undefined && rules.referrerPolicy.includes(effective),
      expected: `one of ${rules.referrerPolicy.join(', ')}`,
      actual: shown(value),
    });
  }
  if (rules.cacheControl && authenticated) {
    const value = get('cache-control');
    const directives = (value ?? '').split(',').map((d) => d.trim().toLowerCase().split('=')[0]);
    out.push({ name: 'Cache-Control has no-store (authenticated response)', passed: directives.includes('no-store'), expected: 'no-store', actual: shown(value) });
  }
  if (rules.contentType && (exchange.response?.bodyBytes ?? 0) > 0) {
    const value = get('content-type');
    const type = value?.split(';')[0]?.trim().toLowerCase();
    const needsCharset = type?.startsWith('text/') ?? false;
    out.push({
      name: needsCharset ? 'Content-Type is present, with a charset' : 'Content-Type is present',
      passed: type !== undefined && type.includes('/') && (!needsCharset || /;\s*charset=/i.test(value!)),
      expected: needsCharset ? 'a media type with charset=' : 'a media type',
      actual: shown(value),
    });
  }
  if (rules.xssProtection) {
    const value = get('x-xss-protection');
    out.push({ name: 'X-XSS-Protection is absent or 0', passed: value === undefined || value.trim() === '0', expected: 'absent or 0 (the XSS auditor is gone and could be abused)', actual: shown(value) });
  }
  return out;
}

/** A product token with a version: nginx/1.25.3, Apache/2.4 (Debian), Microsoft-IIS/10.0, Node.js v20. */
const VERSION_IN_SERVER = /\/\s*v?\d|\bv?\d+\.\d+/i;

/** Headers that tell an attacker which software (and version) to look up. */
export function versionLeakAssertions(exchange: Exchange, label: string): AssertionResult[] {
  const server = responseHeader(exchange, 'server');
  const out: AssertionResult[] = [
    { name: `${label}: Server names no version`, passed: server === undefined || !VERSION_IN_SERVER.test(server), expected: 'absent, or a product name without a version', actual: shown(server) },
  ];
  for (const name of ['x-powered-by', 'x-aspnet-version', 'x-aspnetmvc-version']) {
    const value = responseHeader(exchange, name);
    out.push({ name: `${label}: no ${name}`, passed: value === undefined, expected: 'absent', actual: shown(value) });
  }
  return out;
}
