import type { RequestSpec } from '../../engine/http-client.js';
import type { TargetProfile } from '../../scenario/types.js';
import { GauntletError } from '../../util/errors.js';
import { deadlineOf, sequential } from '../bounds.js';
import { caseErrored, caseSkipped, narrowListed, type CaseInfo } from '../cases.js';
import { toRequestSpec, validateRequest } from '../request.js';
import type { CheckContext, CheckKind, CheckOutcome, SpecIssue } from '../types.js';
import { is2xx, outcomeOf, sendAs, type Answer } from '../objects/answer.js';
import { callerKeyName, resolveCaller, sameCaller, validateCaller, type Caller } from '../objects/caller.js';
import { assertCallersKnown } from '../objects/callers-known.js';
import { DEFAULT_ID_PATH, NOT_CREATED_REASON, type ObjectId } from '../objects/created-object.js';
import { CreatedObjects, withNotes } from '../objects/created-objects.js';
import { objectIssues } from '../objects/object-issues.js';
import { namesObject, requestLine, sentLine, unsafeMethod } from '../objects/object-request.js';
import { precondition } from '../objects/precondition.js';
import { judgeDirect, judgeOverride, type FollowUp } from './judge.js';
import { BFLA_CASES, bflaProperties, DEFAULT_OVERRIDE_FROM, DEFAULT_REFUSED, DEFAULT_SUCCESS, OVERRIDE_HEADERS, type BflaCase, type BflaSpec } from './spec.js';

const methodOf = (spec: BflaSpec) => (spec.request.method ?? 'GET').toUpperCase();
const overrideFrom = (spec: BflaSpec) => (spec.overrideFrom ?? DEFAULT_OVERRIDE_FROM).toUpperCase();

function titleOf(spec: BflaSpec, name: BflaCase): string {
  const operation = requestLine(spec.request);
  return name === 'direct'
    ? `a caller without its scope is refused ${operation}`
    : `${overrideFrom(spec)} with X-HTTP-Method-Override: ${methodOf(spec)} does not perform ${operation} for that caller`;
}

/** The selected cases; tunnelling a method through itself proves nothing, so method-override needs another method. */
function plannedCases(spec: BflaSpec): CaseInfo[] {
  const selected = new Set(spec.cases ?? BFLA_CASES);
  if (overrideFrom(spec) === methodOf(spec)) selected.delete('method-override');
  return BFLA_CASES.filter((name) => selected.has(name)).map((name) => ({ suffix: name, title: titleOf(spec, name) }));
}

/** The admin's reads before and after are what show a DELETE was (not) performed. */
const followsUp = (spec: BflaSpec) => spec.read !== undefined && methodOf(spec) === 'DELETE';

/** A case that would change an object the check did not create is not run. */
function touchesGivenObject(spec: BflaSpec, name: BflaCase): boolean {
  return !spec.create && namesObject(spec.request) && (name === 'method-override' || unsafeMethod(methodOf(spec)));
}

/** The admin caller: named, else the profile key named admin. */
function adminOf(spec: BflaSpec, profile: TargetProfile): Caller | undefined {
  if (spec.admin !== undefined) return resolveCaller(spec.admin, profile);
  return profile.keys.has('admin') ? resolveCaller('admin', profile) : undefined;
}
const needsAdmin = (spec: BflaSpec) => spec.create !== undefined || followsUp(spec);

interface Run {
  ctx: CheckContext;
  spec: BflaSpec;
  caller: Caller;
  admin?: Caller;
  request: RequestSpec;
  read?: RequestSpec;
  cleanup?: RequestSpec;
  objects: CreatedObjects;
}

/**
 * Broken function level authorization (OWASP API5): an operation that needs a scope the ordinary caller lacks
 * (admin-only) is refused to it, sent as is and tunnelled through another method with the override headers.
 */
export const bflaKind: CheckKind<BflaSpec> = {
  kind: 'bfla',
  description: "Function-level authorization (OWASP API5): an admin-only operation is refused to an ordinary caller, also when tunnelled through another method with X-HTTP-Method-Override. Creating objects and unsafe methods need mutations: allowed.",
  properties: bflaProperties,
  required: ['request'],
  defaultSeverity: 'high',

  defaultTitle: (spec) => `${requestLine(spec.request)} is refused to a caller without its scope`,

  mutates: (spec) =>
    spec.create !== undefined || unsafeMethod(methodOf(spec)) || (plannedCases(spec).some((c) => c.suffix === 'method-override') && unsafeMethod(overrideFrom(spec))),

  plannedCases,

  narrowToCases: narrowListed<BflaSpec>('cases'),

  bounds(spec, context) {
    const perCase = (spec.create ? 2 : 0) + (followsUp(spec) ? 2 : 0) + 1;
    const deadlines = [spec.request, spec.create, spec.read, spec.cleanup].filter((r) => r !== undefined).map((r) => deadlineOf(r.timeout, context));
    return sequential(perCase * plannedCases(spec).length, Math.max(...deadlines));
  },

  validate(spec, context) {
    const issues: SpecIssue[] = [...validateCaller(spec.caller, 'caller', context), ...validateCaller(spec.admin, 'admin', context)];
    for (const field of ['request', 'create', 'read', 'cleanup'] as const) issues.push(...validateRequest(spec[field], context, [field]));
    issues.push(
      ...objectIssues(spec, {
        naming: { read: spec.read, cleanup: spec.cleanup },
        usesObject: namesObject(spec.request) || spec.read !== undefined,
        cleanupDefault: methodOf(spec) === 'DELETE' && namesObject(spec.request),
        at: 'request',
        example: '/api/users/{id}',
      }),
    );
    const profile = context.profile;
    if (profile && issues.length === 0) {
      const admin = adminOf(spec, profile);
      if (!admin && needsAdmin(spec)) {
        issues.push({ path: [], code: 'E_NO_ADMIN', message: 'bfla needs an admin to create and read the object: name one with admin:, or define a profile key named admin' });
      } else if (admin && sameCaller(resolveCaller(spec.caller, profile), admin, profile)) {
        issues.push({ path: [spec.caller === undefined ? 'admin' : 'caller'], code: 'E_SAME_CALLER', message: 'the caller sends the same credentials as the admin: give a caller without the operation\'s scope' });
      }
    }
    return issues;
  },

  async run(ctx, spec) {
    const cases = plannedCases(spec);
    const caller = resolveCaller(spec.caller, ctx.profile);
    const held = heldScopes(spec, caller, ctx.profile);
    if (held) return cases.map((c) => caseSkipped(c, `not run: the caller holds every scope this operation needs (${held})`));
    const admin = adminOf(spec, ctx.profile);
    if (!admin && needsAdmin(spec)) throw new GauntletError('E_UNKNOWN_KEY', 'no admin caller: name one with admin:, or define a profile key named admin');
    assertCallersKnown(ctx, admin ? [caller, admin] : [caller]);
    const file = ctx.check.source?.file;
    const request = await toRequestSpec(spec.request, file);
    const run: Run = {
      ctx,
      spec,
      caller,
      admin,
      request,
      read: spec.read && (await toRequestSpec(spec.read, file)),
      cleanup: spec.cleanup ? await toRequestSpec(spec.cleanup, file) : request,
      objects: new CreatedObjects(ctx),
    };
    const outcomes: CheckOutcome[] = [];
    try {
      for (const info of cases) {
        if (ctx.signal.aborted) break;
        const name = info.suffix as BflaCase;
        if (touchesGivenObject(spec, name)) {
          outcomes.push(caseSkipped(info, NOT_CREATED_REASON));
          continue;
        }
        ctx.progress(`case ${name}`);
        outcomes.push(await runCase(run, name, info));
      }
    } finally {
      await run.objects.deleteAll();
    }
    return withNotes(outcomes, run.objects.notes);
  },
};

/** The scopes, when the profile says the caller holds every one of them. */
function heldScopes(spec: BflaSpec, caller: Caller, profile: TargetProfile): string | undefined {
  const key = callerKeyName(caller, profile);
  const held = key === undefined ? undefined : profile.keyScopes.get(key);
  if (!spec.scopes?.length || !held) return undefined;
  return spec.scopes.every((scope) => held.includes(scope)) ? spec.scopes.join(', ') : undefined;
}

/** The object (made for this case), the admin's read before, the caller's attempt, the admin's read after; judged. */
async function runCase(run: Run, name: BflaCase, info: CaseInfo): Promise<CheckOutcome> {
  const { ctx, spec, caller, admin } = run;
  const answers: Answer[] = [];
  const exchanges = () => answers.map((a) => a.exchange);
  let id: ObjectId | undefined = spec.objectId;
  if (spec.create) {
    const creation = await run.objects.create('the admin', admin!, await toRequestSpec(spec.create, ctx.check.source?.file), spec.idPath ?? DEFAULT_ID_PATH, run.cleanup!, `admin (${admin!.name}) creates the object`);
    answers.push(creation.answer);
    if (!('id' in creation)) return caseErrored(info, creation.problem, exchanges());
    id = creation.id;
  }
  const send = async (who: Caller, request: RequestSpec, label: string) => {
    const answer = await sendAs(ctx, who, request, label, id);
    answers.push(answer);
    return answer;
  };
  const noAnswer = (who: string, answer: Answer) => caseErrored(info, `${who} ${sentLine(answer.exchange)} ${outcomeOf(answer)}`, exchanges());

  if (followsUp(spec)) {
    const before = await send(admin!, run.read!, `admin (${admin!.name}) reads the object first`);
    if (before.exchange.transport) return noAnswer("the admin's control read", before);
    if (!is2xx(before.status)) {
      return caseErrored(info, precondition(`the admin's own ${sentLine(before.exchange)} was answered ${before.status}, not 2xx: without the object there, a refused DELETE proves nothing`), exchanges());
    }
  }
  const method = methodOf(spec);
  const tunnelled: RequestSpec =
    name === 'direct'
      ? run.request
      : { ...run.request, method: overrideFrom(spec), headers: { ...run.request.headers, ...Object.fromEntries(OVERRIDE_HEADERS.map((h) => [h, method])) } };
  const what = name === 'direct' ? method : `${overrideFrom(spec)} with X-HTTP-Method-Override: ${method}`;
  const attemptAnswer = await send(caller, tunnelled, `caller (${caller.name}) sends ${what}`);
  if (attemptAnswer.exchange.transport) return noAnswer("the caller's", attemptAnswer);
  const line = name === 'direct' ? sentLine(attemptAnswer.exchange) : `${sentLine(attemptAnswer.exchange)} with X-HTTP-Method-Override: ${method}`;
  const attempt = { line, status: attemptAnswer.status! };

  let followUp: FollowUp | undefined;
  if (followsUp(spec)) {
    const after = await send(admin!, run.read!, `admin (${admin!.name}) reads it again`);
    const t = after.exchange.transport;
    followUp = { status: after.status, failure: t ? `${t.class}: ${t.message}` : undefined };
  }
  const verdict =
    name === 'direct'
      ? judgeDirect(attempt, followUp, spec.refusedStatus ?? DEFAULT_REFUSED)
      : judgeOverride(attempt, followUp, spec.successStatus ?? DEFAULT_SUCCESS, method);
  return { idSuffix: info.suffix, title: info.title, ...verdict, evidence: { exchanges: exchanges() } };
}
