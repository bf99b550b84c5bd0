import type { RequestSpec } from '../../engine/http-client.js';
import { deadlineOf, sequential } from '../bounds.js';
import { caseErrored, caseSkipped, type CaseInfo } from '../cases.js';
import { describeStatus, statusMatches } from '../http/expect-status.js';
import type { StatusExpectation } from '../http/spec.js';
import type { Exchange } from '../../results/model.js';
import { toRequestSpec, validateRequest } from '../request.js';
import type { CheckContext, CheckKind, CheckOutcome, SpecIssue } from '../types.js';
import { is2xx, isJsonObject, jsonOf, outcomeOf, sendAs, type Answer } from '../objects/answer.js';
import { resolveCaller, validateCaller, type Caller } from '../objects/caller.js';
import { assertCallersKnown } from '../objects/callers-known.js';
import { DEFAULT_ID_PATH, type ObjectId } from '../objects/created-object.js';
import { CreatedObjects, withNotes } from '../objects/created-objects.js';
import { objectIssues } from '../objects/object-issues.js';
import { requestLine, sentLine } from '../objects/object-request.js';
import { precondition } from '../objects/precondition.js';
import { judgeDeclared, judgeStored } from './judge.js';
import { DEFAULT_CASE_SEVERITIES, DEFAULT_REFUSED, MASS_ASSIGNMENT_CASES, massAssignmentProperties, type MassAssignmentCase, type MassAssignmentSpec } from './spec.js';

function titleOf(spec: MassAssignmentSpec, name: MassAssignmentCase): string {
  const injected = Object.keys(spec.inject).join(', ');
  if (name === 'create') return `${requestLine(spec.create)} does not store properties the client must not set (${injected})`;
  if (name === 'update') return `${requestLine(spec.update!)} does not store properties the client must not set (${injected})`;
  return `${requestLine(spec.read)} returns only the properties the schema declares`;
}

function plannedCases(spec: MassAssignmentSpec): CaseInfo[] {
  return MASS_ASSIGNMENT_CASES.filter((name) => name !== 'update' || spec.update !== undefined).map((name) => ({
    suffix: name,
    title: titleOf(spec, name),
    severity: spec.severities?.[name] ?? DEFAULT_CASE_SEVERITIES[name],
  }));
}

/** The injected properties merged into a request's JSON body (the body's own values give way). */
function injected(request: RequestSpec, inject: Record<string, unknown>): RequestSpec {
  const body = isJsonObject(request.body?.json) ? request.body.json : {};
  return { ...request, body: { json: { ...body, ...inject } } };
}

interface Run {
  ctx: CheckContext;
  spec: MassAssignmentSpec;
  caller: Caller;
  objects: CreatedObjects;
  create: RequestSpec;
  read: RequestSpec;
  cleanup: RequestSpec;
  /** The object made by the plain create, and its read: what a client may set, for comparison. */
  baseline: { id: ObjectId; read: Record<string, unknown> };
}

/**
 * Broken object property level authorization (OWASP API3): properties a client must not set (readOnly: role,
 * verified...) sent in a create or an update are refused or not stored, and reads return only declared properties.
 */
export const massAssignmentKind: CheckKind<MassAssignmentSpec> = {
  kind: 'mass-assignment',
  description: 'Property-level authorization (OWASP API3): properties the client must not set (e.g. role) are refused or not stored on create and update, and reads return only the properties the schema declares. Creates objects: needs mutations: allowed.',
  properties: massAssignmentProperties,
  required: ['create', 'read', 'inject'],
  defaultSeverity: 'high',

  defaultTitle: (spec) => `${requestLine(spec.create)} does not let the client set ${Object.keys(spec.inject).join(', ')}`,

  mutates: () => true,

  plannedCases,

  // The plain create and its read; per case and injected property its request and a read; a cleanup per object made.
  bounds(spec, context) {
    const properties = Object.keys(spec.inject).length;
    const requests = 2 + properties * (2 + (spec.update ? 2 : 0)) + 1 + properties;
    const deadlines = [spec.create, spec.read, spec.update, spec.cleanup].filter((r) => r !== undefined).map((r) => deadlineOf(r.timeout, context));
    return sequential(requests, Math.max(...deadlines));
  },

  validate(spec, context) {
    const issues: SpecIssue[] = [...validateCaller(spec.caller, 'caller', context)];
    for (const field of ['create', 'update', 'read', 'cleanup'] as const) issues.push(...validateRequest(spec[field], context, [field]));
    if (!isJsonObject(spec.create.body?.json)) {
      issues.push({ path: ['create', 'body'], code: 'E_BAD_VALUE', message: 'the create needs a JSON object body (body: { json: { ... } }): the injected properties are merged into it' });
    }
    if (spec.update?.body !== undefined && !isJsonObject(spec.update.body.json)) {
      issues.push({ path: ['update', 'body'], code: 'E_BAD_VALUE', message: "the update's body must be a JSON object (body: { json: { ... } }): the injected properties are merged into it" });
    }
    issues.push(
      ...objectIssues(spec, {
        naming: { read: spec.read, update: spec.update, cleanup: spec.cleanup },
        usesObject: true,
        cleanupDefault: true,
        at: 'read',
        example: '/api/users/{id}',
      }),
    );
    return issues;
  },

  async run(ctx, spec) {
    const caller = resolveCaller(spec.caller, ctx.profile);
    assertCallersKnown(ctx, [caller]);
    const file = ctx.check.source?.file;
    const read = await toRequestSpec(spec.read, file);
    const cleanup = spec.cleanup ? await toRequestSpec(spec.cleanup, file) : { method: 'DELETE', path: read.path, query: read.query, headers: read.headers };
    const create = await toRequestSpec(spec.create, file);
    const cases = plannedCases(spec);
    const objects = new CreatedObjects(ctx);
    const outcomes: CheckOutcome[] = [];
    try {
      const made = await objects.create('the caller', caller, create, spec.idPath ?? DEFAULT_ID_PATH, cleanup, `caller (${caller.name}) creates an object as the API expects`);
      if (!('id' in made)) return withNotes(cases.map((c) => caseErrored(c, made.problem, [made.answer.exchange])), objects.notes);
      const baselineRead = await sendAs(ctx, caller, read, `caller (${caller.name}) reads it`, made.id);
      const baselineJson = jsonOf(baselineRead);
      if (!is2xx(baselineRead.status) || !isJsonObject(baselineJson)) {
        const what = is2xx(baselineRead.status) ? `was answered ${baselineRead.status} but not with a JSON object` : outcomeOf(baselineRead);
        const message = `the read of the object made as the API expects, ${sentLine(baselineRead.exchange)}, ${what}: nothing to compare with`;
        const errored = baselineRead.exchange.transport ? message : precondition(message);
        return withNotes(cases.map((c) => caseErrored(c, errored, [made.answer.exchange, baselineRead.exchange])), objects.notes);
      }
      const run: Run = { ctx, spec, caller, objects, create, read, cleanup, baseline: { id: made.id, read: baselineJson } };
      for (const info of cases) {
        if (ctx.signal.aborted) break;
        const name = info.suffix as MassAssignmentCase;
        ctx.progress(`case ${name}`);
        if (name === 'undeclared-properties') {
          outcomes.push(undeclaredCase(info, spec.declared, baselineRead, baselineJson));
        } else {
          outcomes.push(await injectionCase(run, name, info));
        }
      }
    } finally {
      await objects.deleteAll();
    }
    return withNotes(outcomes, objects.notes);
  },
};

/** The read of the object made as the API expects carries only the declared properties. */
function undeclaredCase(info: CaseInfo, declared: string[] | undefined, read: Answer, json: unknown): CheckOutcome {
  if (!declared) return caseSkipped(info, 'not run: give declared: (the properties the schema declares for this answer) to compare the read with');
  const verdict = judgeDeclared(sentLine(read.exchange), json, declared);
  return { idSuffix: info.suffix, title: info.title, severity: info.severity, ...verdict, evidence: { exchanges: [read.exchange] } };
}

/**
 * Each injected property on its own, so that one the API refuses (an id, say) cannot hide another it stores (a
 * role): the case fails if any was stored, errors if any could not be judged, and passes when each was refused or
 * not stored.
 */
async function injectionCase(run: Run, name: 'create' | 'update', info: CaseInfo): Promise<CheckOutcome> {
  const results: CheckOutcome[] = [];
  for (const [property, value] of Object.entries(run.spec.inject)) {
    if (run.ctx.signal.aborted) break;
    results.push(await injectOne(run, name, info, { [property]: value }));
  }
  const exchanges = results.flatMap((r) => r.evidence.exchanges ?? []);
  const notes = results.flatMap((r) => r.evidence.notes ?? []);
  const worst = results.find((r) => r.status === 'failed') ?? results.find((r) => r.status === 'errored');
  const evidence = { exchanges, ...(notes.length ? { notes } : {}) };
  if (worst) {
    const others = results.filter((r) => r !== worst && r.status === worst.status).length;
    return { ...worst, message: `${worst.message}${others ? ` (and ${others} more propert${others > 1 ? 'ies' : 'y'} like it)` : ''}`, assertions: results.flatMap((r) => r.assertions ?? []), evidence };
  }
  return { idSuffix: info.suffix, title: info.title, severity: info.severity, status: 'passed', message: results.map((r) => r.message).join('; '), assertions: results.flatMap((r) => r.assertions ?? []), evidence };
}

/** The create (a new object) or the update (of the baseline object) with some injected properties, and a read. */
async function injectOne(run: Run, name: 'create' | 'update', info: CaseInfo, inject: Record<string, unknown>): Promise<CheckOutcome> {
  const { ctx, spec, caller } = run;
  const refused = spec.refusedStatus ?? DEFAULT_REFUSED;
  const names = Object.keys(inject).join(', ');
  const answers: Answer[] = [];
  const exchanges = () => answers.map((a) => a.exchange);
  let id: ObjectId;
  let attempt: Answer;
  if (name === 'create') {
    const creation = await run.objects.create('the caller', caller, injected(run.create, inject), spec.idPath ?? DEFAULT_ID_PATH, run.cleanup, `caller (${caller.name}) creates one with ${names}`);
    attempt = creation.answer;
    answers.push(attempt);
    if (!('id' in creation)) {
      if (attempt.exchange.transport || is2xx(attempt.status)) return caseErrored(info, creation.problem, exchanges());
      return refusalVerdict(info, attempt, refused, names, exchanges());
    }
    id = creation.id;
  } else {
    id = run.baseline.id;
    const update = await toRequestSpec(spec.update!, ctx.check.source?.file);
    attempt = await sendAs(ctx, caller, injected(update, inject), `caller (${caller.name}) updates it with ${names}`, id);
    answers.push(attempt);
    if (attempt.exchange.transport) return caseErrored(info, `the update ${sentLine(attempt.exchange)} ${outcomeOf(attempt)}`, exchanges());
    if (!is2xx(attempt.status)) return refusalVerdict(info, attempt, refused, names, exchanges());
  }
  const what = `the ${name} ${sentLine(attempt.exchange)} with ${names} was answered ${attempt.status}`;
  const reread = await sendAs(ctx, caller, run.read, `caller (${caller.name}) reads what was stored`, id);
  answers.push(reread);
  const stored = jsonOf(reread);
  if (!is2xx(reread.status) || !isJsonObject(stored)) {
    const how = is2xx(reread.status) ? `was answered ${reread.status} but not with a JSON object` : outcomeOf(reread);
    const message = `${what}, but the follow-up read ${sentLine(reread.exchange)} ${how}: cannot tell what was stored`;
    return caseErrored(info, reread.exchange.transport ? message : precondition(message), exchanges());
  }
  const { notes, ...verdict } = judgeStored(what, inject, run.baseline.read, stored);
  return { idSuffix: info.suffix, title: info.title, severity: info.severity, ...verdict, evidence: { exchanges: exchanges(), ...(notes.length ? { notes } : {}) } };
}

/** A create or update that was not accepted: refused as expected passes; anything else (a 5xx) fails. */
function refusalVerdict(info: CaseInfo, attempt: Answer, refused: StatusExpectation, names: string, exchanges: Exchange[]): CheckOutcome {
  const line = `the ${info.suffix} ${sentLine(attempt.exchange)} with ${names} was answered ${attempt.status}`;
  const passed = statusMatches(refused, attempt.status!);
  const assertions = [{ name: 'refused or not stored', passed, expected: `${describeStatus(refused)}, or 2xx without storing them`, actual: String(attempt.status) }];
  const message = passed ? `${line}: refused` : `${line}: neither refused (${describeStatus(refused)}) nor accepted`;
  return { idSuffix: info.suffix, title: info.title, severity: info.severity, status: passed ? 'passed' : 'failed', message, assertions, evidence: { exchanges } };
}
