import type { RequestSpec } from '../../engine/http-client.js';
import type { AssertionResult, Exchange, Severity } from '../../results/model.js';
import { deadlineOf, sequential } from '../bounds.js';
import { caseErrored, caseFromAssertions, caseSkipped, describeTransport, narrowListed, type CaseInfo } from '../cases.js';
import { describeStatus, statusMatches } from '../http/expect-status.js';
import type { StatusExpectation } from '../http/spec.js';
import { findStackTrace } from '../leaks.js';
import { toRequestSpec, validateRequest } from '../request.js';
import type { CheckKind, CheckOutcome } from '../types.js';
import {
  deepNestingProbe,
  invalidFieldsProbe,
  malformedProbe,
  oversizedProbe,
  UNEXPECTED_FIELDS,
  unexpectedFieldsProbe,
  validProbe,
  wrongContentTypeProbe,
  type BodyProbe,
} from './probes.js';
import { INPUT_CASES, inputProperties, type InputCase, type InputSpec } from './spec.js';

const DEFAULT_LIMIT = 1024 * 1024;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function titles(spec: InputSpec): Record<InputCase, string> {
  const limit = spec.bodyLimit ?? DEFAULT_LIMIT;
  return {
    'valid-body': 'a valid body is accepted (positive control)',
    'malformed-json': 'malformed JSON is refused with a 4xx, not a 5xx',
    'oversized-body': `a body over the ${limit}-byte limit is refused`,
    'wrong-content-type': 'a JSON body sent as text/plain is refused',
    'deep-nesting': `a body nested ${spec.nestingDepth ?? 10_000} levels deep is refused without a crash`,
    'unexpected-fields': spec.unexpectedFields === 'ignore' ? 'unexpected privilege fields are ignored' : 'unexpected fields (isAdmin, role, __proto__) are refused',
    'invalid-fields': 'fields of the wrong type are refused, naming each field',
  };
}

/** The cases a run reports, in the order they run (the order `cases:` lists them). */
function plannedCases(spec: InputSpec): CaseInfo[] {
  const allTitles = titles(spec);
  return (spec.cases ?? INPUT_CASES).map((name) => ({ suffix: name, title: allTitles[name], severity: spec.severities?.[name] as Severity | undefined }));
}

function probeFor(name: InputCase, spec: InputSpec): BodyProbe | string {
  const valid = spec.validBody;
  switch (name) {
    case 'valid-body':
      return validProbe(valid);
    case 'malformed-json':
      return malformedProbe(valid);
    case 'oversized-body':
      return oversizedProbe(valid, spec.bodyLimit ?? DEFAULT_LIMIT);
    case 'wrong-content-type':
      return wrongContentTypeProbe(valid);
    case 'deep-nesting':
      return deepNestingProbe(spec.nestingDepth ?? 10_000);
    case 'unexpected-fields':
      return isObject(valid) ? unexpectedFieldsProbe(valid) : 'validBody is not a JSON object: no fields to add';
    case 'invalid-fields':
      return isObject(valid) && Object.keys(valid).length ? invalidFieldsProbe(valid) : 'validBody is not a JSON object with fields';
  }
}

function judge(name: InputCase, spec: InputSpec, exchange: Exchange, text: string): AssertionResult[] {
  const status = exchange.response!.status;
  const expected: StatusExpectation = spec.statuses?.[name] ?? (name === 'valid-body' ? '2xx' : '4xx');
  const ignoring = name === 'unexpected-fields' && spec.unexpectedFields === 'ignore';
  const out: AssertionResult[] = [];
  if (ignoring && status >= 200 && status < 300) {
    const stuck = Object.keys(UNEXPECTED_FIELDS).filter((field) => new RegExp(`"${field}"\\s*:`).test(text));
    out.push({ name: 'unexpected fields not kept', passed: stuck.length === 0, expected: 'the accepted resource without isAdmin or role', actual: stuck.length ? `the answer has ${stuck.join(', ')}` : 'not in the answer' });
  } else {
    out.push({ name: 'status', passed: statusMatches(expected, status), expected: ignoring ? `${describeStatus(expected)} or a 2xx that drops the fields` : describeStatus(expected), actual: String(status) });
  }
  if (name !== 'valid-body') out.push({ name: 'no server error', passed: status < 500, expected: 'not 5xx', actual: String(status) });
  const leak = findStackTrace(text);
  out.push({ name: 'no stack trace in the body', passed: leak === undefined, expected: 'no internal details', actual: leak ?? 'none' });
  if (name === 'invalid-fields' && (spec.fieldErrors ?? true) && status >= 400 && status < 500 && isObject(spec.validBody)) {
    const unnamed = Object.keys(spec.validBody).filter((field) => !text.includes(field));
    out.push({ name: 'each invalid field is named', passed: unnamed.length === 0, expected: `the answer names ${Object.keys(spec.validBody).join(', ')}`, actual: unnamed.length ? `${unnamed.join(', ')} not named` : 'all named' });
  }
  return out;
}

/** The connection was cut before any response byte (over TLS that is classed as a rejection, unless TLS said so). */
function isCutBeforeAnswer(exchange: Exchange): boolean {
  const transport = exchange.transport!;
  if (exchange.timings.headersMs !== undefined) return false;
  return transport.class === 'reset' || (transport.class === 'tls-rejected' && !/^ERR_(SSL|TLS)_/.test(transport.code));
}

/**
 * A connection cut before any answer, during an oversized upload, is how some servers refuse one (nginx can), but
 * so does a server that crashes or resets everything. It counts as a refusal only when the same request with a valid
 * body got an HTTP answer, so the cut is about the size.
 */
function judgeCutUpload(cut: { info: CaseInfo; exchange: Exchange; bytes: number }, controlAnswered: boolean): CheckOutcome {
  if (controlAnswered) return caseFromAssertions(cut.info, [], [cut.exchange], `the server closed the connection during the ${cut.bytes}-byte upload, before any answer (refused)`);
  return caseErrored(cut.info, `the connection was reset during the ${cut.bytes}-byte upload, and the valid-body control got no HTTP answer, so a refusal cannot be told from a server that resets every request`, [cut.exchange]);
}

export const inputKind: CheckKind<InputSpec> = {
  kind: 'input',
  description: 'Input validation: malformed JSON, oversized body, wrong content type, deep nesting, unexpected and invalid fields get a 4xx, never a 5xx or a stack trace.',
  properties: inputProperties,
  required: ['request', 'validBody'],

  defaultTitle: (spec) => `${(spec.request.method ?? 'POST').toUpperCase()} ${spec.request.path ?? '/'} validates its input`,

  bounds: (spec, context) => sequential((spec.cases ?? INPUT_CASES).length, deadlineOf(spec.request.timeout, context)),

  plannedCases,

  narrowToCases: narrowListed<InputSpec>('cases'),

  validate: (spec, context) => validateRequest(spec.request, context),

  async run(ctx, spec) {
    const base: RequestSpec = await toRequestSpec({ ...spec.request, body: undefined }, ctx.check.source?.file);
    base.method = (spec.request.method ?? 'POST').toUpperCase();
    const outcomes: CheckOutcome[] = [];
    let controlAnswered = false;
    let cutUpload: { at: number; info: CaseInfo; exchange: Exchange; bytes: number } | undefined;
    for (const info of plannedCases(spec)) {
      const name = info.suffix as InputCase;
      const probe = probeFor(name, spec);
      if (typeof probe === 'string') {
        outcomes.push(caseSkipped(info, probe));
        continue;
      }
      ctx.progress(name);
      const headers = { ...base.headers, 'content-type': probe.contentType };
      const { exchange, body } = await ctx.http.send({ ...base, headers, body: { text: probe.text }, label: name });
      if (name === 'valid-body' && exchange.response) controlAnswered = true;
      if (exchange.transport) {
        if (name === 'oversized-body' && isCutBeforeAnswer(exchange)) {
          // Judged once the positive control is known (whatever order the cases run in).
          cutUpload = { at: outcomes.length, info, exchange, bytes: Buffer.byteLength(probe.text) };
        }
        outcomes.push(caseErrored(info, describeTransport(exchange), [exchange]));
        continue;
      }
      const text = body.toString('utf8');
      outcomes.push(caseFromAssertions(info, judge(name, spec, exchange, text), [exchange], `HTTP ${exchange.response!.status} for ${Buffer.byteLength(probe.text)} bytes of ${probe.contentType}`));
    }
    if (cutUpload) outcomes[cutUpload.at] = judgeCutUpload(cutUpload, controlAnswered);
    return outcomes;
  },
};
