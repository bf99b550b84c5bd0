import type { Exchange } from '../../results/model.js';
import { caseErrored, caseFromAssertions, describeTransport, type CaseInfo } from '../cases.js';
import { responseHeader } from '../response-headers.js';
import type { CheckOutcome } from '../types.js';
import { clip } from '../../util/clip.js';
import { allowOrigin, allowsCredentials, corsHeadersSeen, grantsOrigin, isWildcard, varyCoversOrigin } from './evaluate.js';
import { requestOrigin } from './prober.js';

/**
 * A request without Origin is not a CORS request (browsers send Origin on every cross-origin one), so the answer
 * grants nothing unless its Access-Control-Allow-Origin names an origin the target does not list: the static `*`
 * is left to the wildcard case, and a listed origin sent whatever the Origin is a fixed allow-list of one.
 * Access-Control-Allow-Credentials without Allow-Origin grants nothing either (the Fetch CORS check fails on the
 * missing Allow-Origin first); the `cors` package sends it on every response when `credentials: true`.
 */
export function noOriginCase(info: CaseInfo, exchange: Exchange, allowedOrigins: string[]): CheckOutcome {
  if (exchange.transport) return caseErrored(info, describeTransport(exchange), [exchange]);
  const acao = allowOrigin(exchange)?.trim();
  const status = exchange.response!.status;
  const seen = corsHeadersSeen(exchange);
  const others = seen.filter((h) => !h.startsWith('Access-Control-Allow-Origin:'));
  const listed = acao !== undefined && allowedOrigins.some((o) => o.toLowerCase() === acao.toLowerCase());
  const also = others.length ? `; also sent ${others.join(', ')}` : '';
  let passMessage: string;
  if (acao === undefined) {
    passMessage = others.length
      ? `HTTP ${status}, no Access-Control-Allow-Origin; sent ${others.join(', ')}, which ${others.length > 1 ? 'grant' : 'grants'} nothing without it`
      : `HTTP ${status}, no CORS headers`;
  } else if (acao === '*') {
    passMessage = `HTTP ${status}, the static Access-Control-Allow-Origin: * (see the wildcard case)${also}`;
  } else {
    passMessage = `HTTP ${status}, the static Access-Control-Allow-Origin: ${clip(acao, 80)}, a listed origin${also}`;
  }
  return caseFromAssertions(
    info,
    [
      {
        name: 'no unlisted origin allowed',
        passed: acao === undefined || acao === '*' || listed,
        expected: 'no Access-Control-Allow-Origin, the static *, or a listed origin',
        actual: seen.length ? seen.join(', ') : '(no CORS headers)',
      },
    ],
    [exchange],
    passMessage,
  );
}

export function wildcardCase(info: CaseInfo, answered: Exchange[]): CheckOutcome {
  const wild = answered.filter(isWildcard);
  return caseFromAssertions(
    info,
    [{ name: 'no wildcard origin', passed: wild.length === 0, expected: 'no Access-Control-Allow-Origin: *', actual: `${wild.length} of ${answered.length} responses said *` }],
    wild.slice(0, 2),
    `none of ${answered.length} responses said Access-Control-Allow-Origin: *`,
  );
}

export function wildcardCredentialsCase(info: CaseInfo, answered: Exchange[]): CheckOutcome {
  const both = answered.filter((e) => isWildcard(e) && allowsCredentials(e));
  return caseFromAssertions(
    info,
    [{ name: 'no wildcard with credentials', passed: both.length === 0, expected: 'never * together with Access-Control-Allow-Credentials: true', actual: `${both.length} of ${answered.length} responses did` }],
    both.slice(0, 2),
    `none of ${answered.length} responses combined * with credentials`,
  );
}

/**
 * A response that echoes its request's Origin, and says something else without one, varies with Origin: a
 * shared cache must key on it (Vary: Origin) or serve one origin's answer to another.
 */
export function varyCase(info: CaseInfo, answered: Exchange[], noOrigin: Exchange): CheckOutcome {
  const staticAnswer = noOrigin.response ? allowOrigin(noOrigin) : undefined;
  const dynamic = answered.filter((e) => {
    const origin = requestOrigin(e);
    return origin !== undefined && grantsOrigin(e, origin) && allowOrigin(e) !== staticAnswer;
  });
  if (dynamic.length === 0) return caseFromAssertions(info, [], [], 'no response echoed its Origin, so no Vary: Origin is needed');
  const missing = dynamic.filter((e) => !varyCoversOrigin(e));
  const example = missing[0] && `e.g. ${missing[0].label}: Vary ${responseHeader(missing[0], 'vary') ?? '(absent)'}`;
  return caseFromAssertions(
    info,
    [{ name: 'Vary covers Origin', passed: missing.length === 0, expected: 'Vary: Origin on every response that echoes its Origin', actual: missing.length ? `${missing.length} of ${dynamic.length} lacked it (${example})` : 'all had it' }],
    (missing.length ? missing : dynamic).slice(0, 2),
    `all ${dynamic.length} responses that echoed their Origin said Vary: Origin`,
  );
}

/** A preflight from an allowed origin asking for something made up must not get it back. */
export function reflectionCase(info: CaseInfo, what: 'method' | 'header', exchange: Exchange, origin: string, allowed: (e: Exchange) => boolean): CheckOutcome {
  if (exchange.transport) return caseErrored(info, describeTransport(exchange), [exchange]);
  const listHeader = what === 'method' ? 'access-control-allow-methods' : 'access-control-allow-headers';
  const granted = grantsOrigin(exchange, origin) || isWildcard(exchange);
  const said = `${exchange.response!.status}, ${listHeader}: ${responseHeader(exchange, listHeader) ?? '(absent)'}`;
  return caseFromAssertions(
    info,
    [{ name: `${what} not reflected`, passed: !(granted && allowed(exchange)), expected: `a fixed list without the requested ${what}`, actual: said }],
    [exchange],
    `HTTP ${said}`,
  );
}
