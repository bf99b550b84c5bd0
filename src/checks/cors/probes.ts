import type { CorsBypassCase } from './spec.js';

export interface OriginProbe {
  name: CorsBypassCase;
  title: string;
  /** The origins sent; empty when the probe does not apply, with `skip` saying why. */
  origins: string[];
  skip?: string;
}

export const DEFAULT_THIRD_PARTY_SUFFIXES = ['github.io', 'herokuapp.com', 'vercel.app'];
const SPECIAL_CHARACTERS = ['_', '`', '}'];

/** The dot a careless regex would leave unescaped: the one before the registrable name (app[.]example.com). */
function unescapedDotVariant(hostname: string): string | undefined {
  const last = hostname.lastIndexOf('.');
  if (last < 0) return undefined;
  const before = hostname.lastIndexOf('.', last - 1);
  const at = before >= 0 ? before : last;
  return `${hostname.slice(0, at)}x${hostname.slice(at + 1)}`;
}

/**
 * The origins a broken allow-list is known to accept, derived from an allowed origin (the techniques of
 * PortSwigger's CORS research): reflected anything, null, the host as a prefix or suffix, a substring, an
 * unescaped regex dot, a subdomain, an http downgrade, special characters parsers treat differently, and
 * third-party hosting where anyone can register a subdomain.
 */
export function bypassProbes(base: string, random: string, thirdParty?: string[]): OriginProbe[] {
  const url = new URL(base);
  const scheme = url.protocol; // 'https:'
  const host = url.hostname;
  const port = url.port ? `:${url.port}` : '';
  const at = (h: string, s = scheme) => `${s}//${h}${port}`;
  const dotted = unescapedDotVariant(host);
  const substring = host.length > 1 ? at(host.slice(0, -1)) : undefined;
  return [
    { name: 'arbitrary-origin', title: 'an arbitrary origin is not allowed', origins: [`https://gauntlet-${random}.example`] },
    { name: 'null-origin', title: "the 'null' origin is not allowed", origins: ['null'] },
    { name: 'prefix-origin', title: `an origin that starts with the allowed host (${host}.evil.example) is not allowed`, origins: [at(`${host}.evil.example`)] },
    { name: 'suffix-origin', title: `an origin that ends with the allowed host (evil${host}) is not allowed`, origins: [at(`evil${host}`)] },
    substring
      ? { name: 'substring-origin', title: 'an origin that is a substring of the allowed one is not allowed', origins: [substring] }
      : { name: 'substring-origin', title: 'an origin that is a substring of the allowed one is not allowed', origins: [], skip: `the host '${host}' is too short` },
    dotted
      ? { name: 'unescaped-dot-origin', title: `an origin matching the allowed host with a dot as a wildcard (${dotted}) is not allowed`, origins: [at(dotted)] }
      : { name: 'unescaped-dot-origin', title: 'an origin matching the allowed host with a dot as a wildcard is not allowed', origins: [], skip: `the host '${host}' has no dot` },
    { name: 'subdomain-origin', title: `a subdomain of the allowed host is not allowed`, origins: [at(`gauntlet-${random}.${host}`)] },
    scheme === 'https:'
      ? { name: 'http-downgrade', title: `the allowed host over plain http is not allowed`, origins: [at(host, 'http:')] }
      : { name: 'http-downgrade', title: 'the allowed host over plain http is not allowed', origins: [], skip: `the allowed origin ${base} is already plain http` },
    {
      name: 'special-characters',
      title: `origins with special characters after the allowed host (${SPECIAL_CHARACTERS.join(' ')}) are not allowed`,
      origins: SPECIAL_CHARACTERS.map((c) => at(`${host}${c}.evil.example`)),
    },
    {
      name: 'third-party-hosting',
      title: 'origins on third-party hosting where anyone can get a subdomain are not allowed',
      origins: thirdParty ?? DEFAULT_THIRD_PARTY_SUFFIXES.map((suffix) => `https://gauntlet-${random}.${suffix}`),
    },
  ];
}
