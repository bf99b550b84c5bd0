import { CLIENT_ROLES } from '../../pki/roles.js';
import type { Exchange } from '../../results/model.js';
import { didYouMean } from '../../util/did-you-mean.js';
import { parseDuration } from '../../util/duration.js';
import { compileJsonPath, JsonPathError } from '../../util/json-path.js';
import { deadlineOf, sequential } from '../bounds.js';
import { DEFAULT_REJECT_STATUS, judgeRejection } from '../rejection.js';
import { validateRequest } from '../request.js';
import type { CheckContext, CheckKind, CheckOutcome, SpecIssue } from '../types.js';
import { MTLS_CASES, type MtlsCase } from './cases.js';
import { mtlsProperties, type MtlsSpec } from './spec.js';
import { namesIdentity, presentedIdentity, whoamiSpec } from './whoami.js';

type Outcome = Omit<CheckOutcome, 'idSuffix' | 'title'>;

/** What the cases learned along the way: the protected body, and whether a positive control was served. */
interface MatrixState {
  protectedBody?: string;
  controlRan?: boolean;
  controlServed?: boolean;
}

export const mtlsKind: CheckKind<MtlsSpec> = {
  kind: 'mtls',
  description: 'The client-certificate matrix against a protected path: every bad certificate rejected, valid ones served.',
  properties: mtlsProperties,

  defaultTitle: (spec) => `${spec.path ?? '/'} enforces mutual TLS`,

  // One request per case, and a whoami request for each identity that must be served.
  bounds(spec, context) {
    const cases = MTLS_CASES.filter((c) => !spec.cases || spec.cases.includes(c.name));
    const whoami = spec.whoami === undefined ? 0 : cases.filter((c) => c.expect === 'accepted').length;
    // Plus the valid control (and its whoami), run unreported when the selection leaves it out.
    const control = cases.some((c) => c.name === 'valid') ? 0 : spec.whoami === undefined ? 1 : 2;
    return sequential(cases.length + whoami + control, deadlineOf(spec.timeout, context));
  },

  validate(spec, context) {
    const issues: SpecIssue[] = validateRequest({ key: spec.key }, context, []);
    for (const role of Object.keys(spec.identities ?? {})) {
      if ((CLIENT_ROLES as readonly string[]).includes(role)) continue;
      const suggestion = didYouMean(role, [...CLIENT_ROLES]);
      issues.push({
        path: ['identities', role],
        code: 'E_UNKNOWN_ROLE',
        message: `'${role}' is not an mTLS role`,
        hint: suggestion ? `did you mean '${suggestion}'?` : `roles: ${CLIENT_ROLES.join(', ')}`,
      });
    }
    const json = spec.whoami === undefined ? undefined : whoamiSpec(spec.whoami).json;
    if (json !== undefined) {
      try {
        compileJsonPath(json);
      } catch (error) {
        if (!(error instanceof JsonPathError)) throw error;
        issues.push({ path: ['whoami', 'json'], code: 'E_BAD_JSONPATH', message: error.message });
      }
    }
    return issues;
  },

  async run(ctx, spec) {
    if (!ctx.profile.baseUrl.startsWith('https:')) {
      return [{ status: 'errored', message: `the target ${ctx.profile.baseUrl} is not https://: mutual TLS cannot be tested`, evidence: {} }];
    }
    const selected = MTLS_CASES.filter((c) => !spec.cases || spec.cases.includes(c.name));
    const state: MatrixState = { protectedBody: spec.protectedBody };
    const outcomes: CheckOutcome[] = [];
    const tlsRejections = new Set<CheckOutcome>();
    for (const testCase of selected) {
      if (ctx.signal.aborted) break;
      ctx.progress(testCase.title);
      const outcome = { idSuffix: testCase.name, title: testCase.title, ...(await runCase(ctx, spec, testCase, state)) };
      if (testCase.expect === 'rejected' && outcome.status === 'passed' && outcome.evidence.exchanges?.[0]?.transport) tlsRejections.add(outcome);
      outcomes.push(outcome);
    }
    // A connection that ends at the TLS layer is how a refused certificate looks, and also how a broken server
    // looks. Such a "rejection" proves something only if an allowed identity is served: when the selected cases
    // left the control out, it is run anyway (not reported).
    if (tlsRejections.size > 0 && !state.controlRan && !ctx.signal.aborted) {
      const control = MTLS_CASES.find((c) => c.name === 'valid')!;
      await runCase(ctx, spec, control, state);
    }
    if (!state.controlServed) {
      const why = state.controlRan ? 'no allowed identity was served either' : "the profile has no 'valid' identity to show that any certificate is served";
      for (const outcome of tlsRejections) {
        outcome.status = 'errored';
        outcome.message = `${outcome.message}, but ${why}: this rejection proves nothing about this certificate`;
      }
    }
    return outcomes;
  },
};

async function runCase(ctx: CheckContext, spec: MtlsSpec, testCase: MtlsCase, state: MatrixState): Promise<Outcome> {
  const identityName = testCase.role === undefined ? 'none' : (spec.identities?.[testCase.role] ?? testCase.role);
  const identity = identityName === 'none' ? undefined : ctx.profile.tls.identities.get(identityName);
  if (testCase.role !== undefined && !identity) {
    return {
      status: 'skipped',
      message: `no identity '${identityName}' in the target profile (tls.identities); \`gauntlet certs\` writes one for every role`,
      evidence: {},
    };
  }
  const timeoutMs = spec.timeout === undefined ? undefined : parseDuration(spec.timeout);
  const { exchange, body } = await ctx.http.send({
    method: spec.method,
    path: spec.path ?? '/',
    headers: spec.headers,
    key: spec.key,
    identity: identityName,
    timeoutMs,
    label: testCase.name,
  });
  const text = body.toString('utf8');

  if (testCase.expect === 'rejected') {
    const verdict = judgeRejection(exchange, text, spec.rejectStatus ?? DEFAULT_REJECT_STATUS, state.protectedBody);
    const evidence = { exchanges: [exchange] };
    if (verdict.kind === 'rejected') return { status: 'passed', message: verdict.how, evidence };
    if (verdict.kind === 'could-not-tell') return { status: 'errored', message: verdict.how, transport: exchange.transport?.class, evidence };
    return { status: 'failed', message: verdict.how, evidence };
  }

  const exchanges: Exchange[] = [exchange];
  state.controlRan = true;
  if (exchange.response && exchange.response.status >= 200 && exchange.response.status < 300) state.controlServed = true;
  if (exchange.transport) {
    const { class: cls, code, message } = exchange.transport;
    if (cls === 'tls-rejected') return { status: 'failed', message: `the ${identityName} certificate was rejected at the TLS layer (${code})`, evidence: { exchanges } };
    return { status: 'errored', message: `${cls}: ${message} (${code})`, transport: cls, evidence: { exchanges } };
  }
  const status = exchange.response!.status;
  if (status < 200 || status >= 300) return { status: 'failed', message: `the ${identityName} certificate was answered HTTP ${status}; it must be served`, evidence: { exchanges } };
  if (spec.protectedBody !== undefined && !text.includes(spec.protectedBody)) {
    return { status: 'failed', message: `HTTP ${status}, but the body lacks the protected content '${spec.protectedBody}'`, evidence: { exchanges } };
  }
  state.protectedBody ??= text.trim() === '' ? undefined : text;
  let message = `served: HTTP ${status}`;
  if (spec.whoami !== undefined) {
    const whoami = whoamiSpec(spec.whoami);
    const answer = await ctx.http.send({ path: whoami.path, key: spec.key, headers: spec.headers, identity: identityName, timeoutMs, label: `${testCase.name} whoami` });
    exchanges.push(answer.exchange);
    if (answer.exchange.transport || answer.exchange.response!.status !== 200) {
      const got = answer.exchange.transport ? answer.exchange.transport.class : `HTTP ${answer.exchange.response!.status}`;
      return { status: 'failed', message: `${message}, but ${whoami.path} answered ${got}`, evidence: { exchanges } };
    }
    const presented = presentedIdentity(identity!.cert);
    const named = namesIdentity(answer.body.toString('utf8'), whoami.json, presented);
    if (!named.ok) {
      return { status: 'failed', message: `${message}, but ${whoami.path} does not name CN=${presented.commonName ?? '?'}: ${named.shown}`, evidence: { exchanges } };
    }
    message += `; ${whoami.path} names CN=${presented.commonName}`;
  }
  return { status: 'passed', message, evidence: { exchanges } };
}
