import { isIP } from 'node:net';
import type { AssertionResult, Exchange, Severity } from '../../results/model.js';
import { deadlineOf, sequential } from '../bounds.js';
import { caseErrored, caseFromAssertions, describeTransport, narrowListed, type CaseInfo } from '../cases.js';
import { describeStatus, statusMatches } from '../http/expect-status.js';
import { toRequestSpec, validateRequest } from '../request.js';
import type { CheckKind, CheckOutcome, SpecIssue } from '../types.js';
import { IP_RESTRICTION_CASES, ipRestrictionProperties, type IpRestrictionCase, type IpRestrictionSpec } from './spec.js';

/** Headers proxies use to pass on the client address; a server without a trusted proxy must ignore them all. */
function spoofingHeaders(address: string): Record<string, string> {
  return {
    'X-Forwarded-For': address,
    'X-Real-IP': address,
    Forwarded: `for=${isIP(address) === 6 ? `"[${address}]"` : address}`,
    'X-Client-IP': address,
    'True-Client-IP': address,
  };
}

/** Where the cases send from, and whom the spoofed headers claim to be. */
function addresses(spec: IpRestrictionSpec) {
  return { from: spec.allowedFrom ?? 'the default source address', outside: spec.outsideFrom ?? '127.0.0.2', claim: spec.spoofAs ?? spec.allowedFrom ?? '127.0.0.1' };
}

function caseInfo(spec: IpRestrictionSpec, name: IpRestrictionCase): CaseInfo {
  const { from, outside, claim } = addresses(spec);
  const titles: Record<IpRestrictionCase, string> = {
    'allowed-source': `a request from an allowed source address (${from}) is served`,
    'outside-source': `a request from a source address outside the allow-list (${outside}) is refused`,
    'spoofed-forwarded-for': `a request from ${outside} claiming to be ${claim} in X-Forwarded-For and similar headers is refused`,
  };
  return { suffix: name, title: titles[name], severity: spec.severities?.[name] as Severity | undefined };
}

/** A refusal at the connection level (a firewall, or a server that closes on sight) refuses too. */
function refusedBelowHttp(exchange: Exchange): boolean {
  return exchange.transport?.class === 'refused' || exchange.transport?.class === 'reset';
}

export const ipRestrictionKind: CheckKind<IpRestrictionSpec> = {
  kind: 'ip-restriction',
  description: 'Source-address allow-list: a request from an address outside it is refused, spoofed forwarding headers included.',
  properties: ipRestrictionProperties,
  required: ['request'],

  defaultTitle: (spec) => `${(spec.request.method ?? 'GET').toUpperCase()} ${spec.request.path ?? '/'} answers only allow-listed source addresses`,

  plannedCases: (spec) => IP_RESTRICTION_CASES.filter((name) => !spec.cases || spec.cases.includes(name)).map((name) => caseInfo(spec, name)),

  narrowToCases: narrowListed<IpRestrictionSpec>('cases'),

  // The control from the allowed source always, then one request per outside case.
  bounds: (spec, context) => sequential(1 + (spec.cases ?? IP_RESTRICTION_CASES).filter((c) => c !== 'allowed-source').length, deadlineOf(spec.request.timeout, context)),

  validate(spec, context) {
    const issues: SpecIssue[] = validateRequest(spec.request, context);
    for (const field of ['allowedFrom', 'outsideFrom', 'spoofAs'] as const) {
      const value = spec[field];
      if (value !== undefined && !isIP(value)) issues.push({ path: [field], code: 'E_BAD_ADDRESS', message: `'${value}' is not an IP address` });
    }
    if (spec.allowedFrom !== undefined && spec.allowedFrom === (spec.outsideFrom ?? '127.0.0.2')) {
      issues.push({ path: ['outsideFrom'], code: 'E_BAD_ADDRESS', message: 'outsideFrom is the same address as allowedFrom' });
    }
    return issues;
  },

  async run(ctx, spec) {
    const request = await toRequestSpec(spec.request, ctx.check.source?.file);
    const { from, outside, claim } = addresses(spec);
    const refused = spec.refusedStatus ?? 403;
    const selected = new Set<IpRestrictionCase>(spec.cases ?? IP_RESTRICTION_CASES);
    const outcomes: CheckOutcome[] = [];

    const refusal = (c: CaseInfo, exchange: Exchange, from: string): CheckOutcome => {
      if (exchange.transport?.code === 'EADDRNOTAVAIL') {
        return caseErrored(c, `cannot send from ${from}: it is not an address of this machine (set outsideFrom to one that is)`, [exchange]);
      }
      if (refusedBelowHttp(exchange)) {
        if (control.transport) return caseErrored(c, `the allowed source got no answer either (${describeTransport(control)}): a restriction cannot be told from an outage`, [control, exchange]);
        return caseFromAssertions(c, [], [exchange], `the connection from ${from} was ${exchange.transport!.class} (refused below HTTP)`);
      }
      if (exchange.transport) return caseErrored(c, describeTransport(exchange), [exchange]);
      const status = exchange.response!.status;
      const assertion: AssertionResult = { name: `refused from ${from}`, passed: statusMatches(refused, status), expected: describeStatus(refused), actual: String(status) };
      return caseFromAssertions(c, [assertion], [exchange], `HTTP ${status} from ${from}`);
    };

    // The control: a request from an allowed source. Without an answer to it, a refusal from outside proves nothing.
    const control = (await ctx.http.send({ ...request, localAddress: spec.allowedFrom, label: `from ${from}` })).exchange;
    if (selected.has('allowed-source')) {
      const c = caseInfo(spec, 'allowed-source');
      if (control.transport) outcomes.push(caseErrored(c, describeTransport(control), [control]));
      else {
        const status = control.response!.status;
        outcomes.push(caseFromAssertions(c, [{ name: 'served', passed: status >= 200 && status < 300, expected: '2xx', actual: String(status) }], [control], `served from ${from}: HTTP ${status}`));
      }
    }
    if (selected.has('outside-source')) {
      const c = caseInfo(spec, 'outside-source');
      const { exchange } = await ctx.http.send({ ...request, localAddress: outside, label: `from ${outside}` });
      outcomes.push(refusal(c, exchange, outside));
    }
    if (selected.has('spoofed-forwarded-for')) {
      const c = caseInfo(spec, 'spoofed-forwarded-for');
      const headers = { ...request.headers, ...spoofingHeaders(claim) };
      const { exchange } = await ctx.http.send({ ...request, headers, localAddress: outside, label: `from ${outside}, claiming ${claim}` });
      outcomes.push(refusal(c, exchange, outside));
    }
    return outcomes;
  },
};
