import type { Exchange } from '../../results/model.js';
import { parseDuration } from '../../util/duration.js';
import { DEFAULT_REJECT_STATUS, judgeRejection } from '../rejection.js';
import type { CheckContext } from '../types.js';
import type { MtlsCase } from './cases.js';
import type { VersionPart } from './combine.js';
import type { MtlsSpec, MtlsVersion } from './spec.js';
import { namesIdentity, presentedIdentity, whoamiSpec } from './whoami.js';

/** Learned across versions: the body only a served request receives. */
export interface SharedState {
  protectedBody?: string;
}

/** Learned within one version: whether its positive control ran and was served. */
export interface VersionState {
  controlRan?: boolean;
  controlServed?: boolean;
}

/** The profile identity a case presents (undefined: none), or why the case cannot run. */
export function caseIdentity(ctx: CheckContext, spec: MtlsSpec, testCase: MtlsCase): { name: string; missing?: string } {
  if (testCase.role === undefined) return { name: 'none' };
  const name = spec.identities?.[testCase.role] ?? testCase.role;
  if (ctx.profile.tls.identities.has(name)) return { name };
  return { name, missing: `no identity '${name}' in the target profile (tls.identities); \`gauntlet certs\` writes one for every role` };
}

/** One case over one TLS version (client min = max = version): the request, and a whoami for positive controls. */
export async function runCaseOver(
  ctx: CheckContext,
  spec: MtlsSpec,
  testCase: MtlsCase,
  version: MtlsVersion,
  shared: SharedState,
  state: VersionState,
): Promise<VersionPart> {
  const { name: identityName, missing } = caseIdentity(ctx, spec, testCase);
  if (missing) return { version, status: 'skipped', message: missing, exchanges: [] };
  const timeoutMs = spec.timeout === undefined ? undefined : parseDuration(spec.timeout);
  const tls = { minVersion: version, maxVersion: version };
  const { exchange, body } = await ctx.http.send({
    method: spec.method,
    path: spec.path ?? '/',
    headers: spec.headers,
    key: spec.key,
    identity: identityName,
    timeoutMs,
    tls,
    label: `${testCase.name} ${version}`,
  });
  const text = body.toString('utf8');
  const exchanges: Exchange[] = [exchange];

  if (testCase.expect === 'rejected') {
    const verdict = judgeRejection(exchange, text, spec.rejectStatus ?? DEFAULT_REJECT_STATUS, shared.protectedBody);
    if (verdict.kind === 'rejected') return { version, status: 'passed', message: verdict.how, refusal: verdict.refusal, exchanges };
    if (verdict.kind === 'could-not-tell') return { version, status: 'errored', message: verdict.how, transport: exchange.transport?.class, exchanges };
    return { version, status: 'failed', message: verdict.how, exchanges };
  }

  state.controlRan = true;
  if (exchange.response && exchange.response.status >= 200 && exchange.response.status < 300) state.controlServed = true;
  if (exchange.transport) {
    const { class: cls, code, message, alert } = exchange.transport;
    if (cls === 'tls-rejected') {
      return { version, status: 'failed', message: `the ${identityName} certificate was rejected at the TLS layer (${alert ? `alert ${alert}` : code})`, exchanges };
    }
    return { version, status: 'errored', message: `${cls}: ${message} (${code})`, transport: cls, exchanges };
  }
  const status = exchange.response!.status;
  if (status < 200 || status >= 300) return { version, status: 'failed', message: `the ${identityName} certificate was answered HTTP ${status}; it must be served`, exchanges };
  if (spec.protectedBody !== undefined && !text.includes(spec.protectedBody)) {
    return { version, status: 'failed', message: `HTTP ${status}, but the body lacks the protected content '${spec.protectedBody}'`, exchanges };
  }
  shared.protectedBody ??= text.trim() === '' ? undefined : text;
  let message = `served: HTTP ${status}`;
  if (spec.whoami !== undefined) {
    const whoami = whoamiSpec(spec.whoami);
    const answer = await ctx.http.send({ path: whoami.path, key: spec.key, headers: spec.headers, identity: identityName, timeoutMs, tls, label: `${testCase.name} ${version} whoami` });
    exchanges.push(answer.exchange);
    if (answer.exchange.transport || answer.exchange.response!.status !== 200) {
      const got = answer.exchange.transport ? answer.exchange.transport.class : `HTTP ${answer.exchange.response!.status}`;
      return { version, status: 'failed', message: `${message}, but ${whoami.path} answered ${got}`, exchanges };
    }
    const presented = presentedIdentity(ctx.profile.tls.identities.get(identityName)!.cert);
    const named = namesIdentity(answer.body.toString('utf8'), whoami.json, presented);
    if (!named.ok) {
      return { version, status: 'failed', message: `${message}, but ${whoami.path} does not name CN=${presented.commonName ?? '?'}: ${named.shown}`, exchanges };
    }
    message += `; ${whoami.path} names CN=${presented.commonName}`;
  }
  return { version, status: 'passed', message, exchanges };
}
