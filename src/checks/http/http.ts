import type { AssertionResult } from '../../results/model.js';
import { compileJsonPath, JsonPathError, select } from '../../util/json-path.js';
import { deadlineOf, sequential } from '../bounds.js';
import { fromAssertions, transportErrored } from '../outcomes.js';
import { toRequestSpec, validateRequest } from '../request.js';
import type { CheckKind, SpecIssue } from '../types.js';
import { checkBody } from './expect-body.js';
import { checkHeaders, headerValue } from './expect-headers.js';
import { checkJson } from './expect-json.js';
import { checkStatus, describeStatus } from './expect-status.js';
import { httpProperties, type CaptureSpec, type HttpSpec, type StatusExpectation } from './spec.js';
import { clip } from '../../util/clip.js';
import { boundedJson, MAX_JSON_DEPTH, nestedDeeperThan } from '../../util/bounded-json.js';

function capturePath(capture: CaptureSpec): { json?: string; header?: string } {
  return typeof capture === 'string' ? { json: capture } : capture;
}

function validateRegex(pattern: string | undefined, path: (string | number)[], issues: SpecIssue[]): void {
  if (pattern === undefined) return;
  try {
    new RegExp(pattern);
  } catch (error) {
    issues.push({ path, code: 'E_BAD_REGEX', message: (error as Error).message });
  }
}

function validateJsonPath(source: string, path: (string | number)[], issues: SpecIssue[], key = false): void {
  try {
    compileJsonPath(source);
  } catch (error) {
    if (!(error instanceof JsonPathError)) throw error;
    issues.push({ path, code: 'E_BAD_JSONPATH', message: error.message, hint: key ? 'JSON keys are JSONPath ($.a.b) or JSON Pointer (/a/b)' : undefined });
  }
}

function expects429(expected: StatusExpectation | undefined): boolean {
  return (Array.isArray(expected) ? expected : [expected]).some((e) => e !== undefined && Number(e) === 429);
}

export const httpKind: CheckKind<HttpSpec> = {
  kind: 'http',
  description: 'One request and expectations on its answer: status, headers, JSON, body, TLS outcome, latency.',
  properties: httpProperties,
  required: ['request', 'expect'],

  defaultTitle(spec) {
    const target = `${(spec.request.method ?? 'GET').toUpperCase()} ${spec.request.path ?? '/'}`;
    if (spec.expect.tls === 'rejected') return `${target} is rejected at the TLS handshake`;
    if (spec.expect.status !== undefined) return `${target} answers ${describeStatus(spec.expect.status)}`;
    return `${target} meets its expectations`;
  },

  // The request and each redirect it may follow.
  bounds: (spec, context) => sequential(1 + (spec.request.followRedirects ?? 0), deadlineOf(spec.request.timeout, context)),

  validate(spec, context) {
    const issues = validateRequest(spec.request, context);
    for (const [name, expectation] of Object.entries(spec.expect.headers ?? {})) {
      if (typeof expectation === 'object') validateRegex(expectation.matches, ['expect', 'headers', name, 'matches'], issues);
    }
    for (const [path, expectation] of Object.entries(spec.expect.json ?? {})) {
      validateJsonPath(path, ['expect', 'json', path], issues, true);
      if (expectation && typeof expectation === 'object') validateRegex(expectation.matches, ['expect', 'json', path, 'matches'], issues);
    }
    validateRegex(spec.expect.body?.matches, ['expect', 'body', 'matches'], issues);
    for (const [name, capture] of Object.entries(spec.capture ?? {})) {
      const { json } = capturePath(capture);
      if (json !== undefined) validateJsonPath(json, ['capture', name], issues);
    }
    return issues;
  },

  captures: (spec) => Object.keys(spec.capture ?? {}),

  async run(ctx, spec) {
    const request = await toRequestSpec(spec.request, ctx.check.source?.file);
    // A check that expects the 429 (the limit hit) must see it, not a retry after the wait.
    const { exchange, body } = await ctx.http.send({ ...request, limitProbe: expects429(spec.expect.status) });
    const expect = spec.expect;

    if (exchange.transport) {
      if (expect.tls === 'rejected' && exchange.transport.class === 'tls-rejected') {
        return [{ status: 'passed', message: `the TLS handshake was rejected (${exchange.transport.code})`, evidence: { exchanges: [exchange] } }];
      }
      return [transportErrored(exchange)];
    }

    const response = exchange.response!;
    const text = body.toString('utf8');
    const assertions: AssertionResult[] = [];
    if (expect.tls) {
      assertions.push({
        name: 'tls',
        passed: expect.tls === 'accepted',
        expected: `handshake ${expect.tls}`,
        actual: `handshake accepted, HTTP ${response.status}`,
      });
    }
    if (expect.status !== undefined) assertions.push(checkStatus(expect.status, response.status));
    if (expect.headers) assertions.push(...checkHeaders(expect.headers, response.headers));
    let document: unknown;
    let parsed = false;
    if (expect.json || Object.values(spec.capture ?? {}).some((c) => capturePath(c).json !== undefined)) {
      try {
        document = JSON.parse(text);
        parsed = true;
      } catch {
        assertions.push({
          name: 'body is JSON',
          passed: false,
          expected: 'a JSON body',
          actual: response.bodyCapped ? `not JSON (read only the first ${body.length} bytes)` : `not JSON: ${clip(text, 80)}`,
        });
      }
    }
    if (expect.json && parsed) assertions.push(...checkJson(expect.json, document));
    if (expect.body) assertions.push(...checkBody(expect.body, text));
    if (expect.maxLatencyMs !== undefined) {
      assertions.push({
        name: 'latency',
        passed: exchange.timings.totalMs <= expect.maxLatencyMs,
        expected: `<= ${expect.maxLatencyMs}ms`,
        actual: `${exchange.timings.totalMs.toFixed(1)}ms`,
      });
    }
    for (const [name, capture] of Object.entries(spec.capture ?? {})) {
      const { json, header } = capturePath(capture);
      const selected = json !== undefined && parsed ? select(compileJsonPath(json), document) : undefined;
      const value = header !== undefined ? headerValue(response.headers, header) : selected?.found ? selected.value : undefined;
      if (value === undefined) {
        assertions.push({ name: `capture ${name}`, passed: false, expected: header ? `header ${header}` : `a value at ${json}`, actual: '(missing)' });
      } else if (nestedDeeperThan(value, MAX_JSON_DEPTH)) {
        // Later checks copy, compare and print a captured value by recursion: a target's deep value would overflow them.
        const actual = `nested deeper than ${MAX_JSON_DEPTH} levels: ${boundedJson(value, 80)}`;
        assertions.push({ name: `capture ${name}`, passed: false, expected: `a value at ${json} at most ${MAX_JSON_DEPTH} levels deep`, actual });
      } else {
        ctx.capture(name, value);
      }
    }
    return [fromAssertions(assertions, exchange, `HTTP ${response.status}; ${assertions.length} expectation(s) met`)];
  },
};
