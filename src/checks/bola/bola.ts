import type { RequestSpec } from '../../engine/http-client.js';
import { deadlineOf, sequential } from '../bounds.js';
import { caseErrored, caseSkipped, type CaseInfo } from '../cases.js';
import { toRequestSpec, validateRequest } from '../request.js';
import type { CheckContext, CheckKind, CheckOutcome, SpecIssue } from '../types.js';
import { is2xx, jsonOf, outcomeOf, sendAs, type Answer } from '../objects/answer.js';
import { resolveCaller, sameCaller, validateCaller, type Caller } from '../objects/caller.js';
import { assertCallersKnown } from '../objects/callers-known.js';
import { comparisonFor, differences } from '../objects/changes.js';
import { DEFAULT_ID_PATH, NOT_CREATED_REASON, type ObjectId } from '../objects/created-object.js';
import { objectIssues } from '../objects/object-issues.js';
import { CreatedObjects, withNotes } from '../objects/created-objects.js';
import { requestLine, sentLine } from '../objects/object-request.js';
import { precondition } from '../objects/precondition.js';
import { judgeDelete, judgeRead, judgeUpdate, type Attempt, type Reread } from './judge.js';
import type { Verdict } from '../objects/verdict.js';
import { BOLA_CASES, bolaProperties, DEFAULT_REFUSED, type BolaCase, type BolaSpec } from './spec.js';

const VERBS: Record<BolaCase, string> = { read: 'read', update: 'change', delete: 'delete' };

function caseInfo(spec: BolaSpec, name: BolaCase): CaseInfo {
  return { suffix: name, title: `another owner cannot ${VERBS[name]} the object (${requestLine(spec[name]!)})`, severity: spec.severities?.[name] };
}

function plannedCases(spec: BolaSpec): CaseInfo[] {
  return BOLA_CASES.filter((name) => spec[name] !== undefined).map((name) => caseInfo(spec, name));
}

/** The requests a run sends at most: create, per case the owner's control read, the intruder's request and (update, delete) the owner's read after; cleanup. */
function requestCount(spec: BolaSpec): number {
  const cases = plannedCases(spec).reduce((n, c) => n + (c.suffix === 'read' ? 2 : 3), 0);
  return spec.create ? 1 + cases + 1 : 2;
}

interface Run {
  ctx: CheckContext;
  spec: BolaSpec;
  owner: Caller;
  intruder: Caller;
  requests: Record<'read' | 'update' | 'delete', RequestSpec | undefined>;
  id: ObjectId;
}

/**
 * Broken object level authorization (OWASP API1): an object of one owner, requested by a caller of another owner,
 * is refused, and stays as it was. The owner's read before each case proves the object is there to refuse.
 */
export const bolaKind: CheckKind<BolaSpec> = {
  kind: 'bola',
  description: "Object-level authorization (OWASP API1): another owner's caller is refused the owner's object (read, update, delete), and the object stays as it was. Creating, updating and deleting need mutations: allowed.",
  properties: bolaProperties,
  required: ['intruder', 'read'],
  defaultSeverity: 'high',

  defaultTitle: (spec) => `another owner cannot reach the object of ${requestLine(spec.read)}`,

  mutates: (spec) => spec.create !== undefined,

  plannedCases,

  bounds(spec, context) {
    const deadlines = [spec.create, spec.read, spec.update, spec.delete, spec.cleanup].filter((r) => r !== undefined).map((r) => deadlineOf(r.timeout, context));
    return sequential(requestCount(spec), Math.max(...deadlines));
  },

  validate(spec, context) {
    const issues: SpecIssue[] = [...validateCaller(spec.owner, 'owner', context), ...validateCaller(spec.intruder, 'intruder', context)];
    for (const field of ['create', 'read', 'update', 'delete', 'cleanup'] as const) issues.push(...validateRequest(spec[field], context, [field]));
    issues.push(
      ...objectIssues(spec, {
        naming: { read: spec.read, update: spec.update, delete: spec.delete, cleanup: spec.cleanup },
        usesObject: true,
        cleanupDefault: spec.delete !== undefined,
        at: 'read',
        example: '/api/notes/{id}',
      }),
    );
    const profile = context.profile;
    if (profile && issues.length === 0) {
      if (spec.owner === undefined && !profile.defaults.key && !profile.defaults.identity) {
        issues.push({ path: [], code: 'E_NO_OWNER', message: 'bola needs an owner: name one with owner:, or give the profile a default key (defaults.key)' });
      } else if (sameCaller(resolveCaller(spec.owner, profile), resolveCaller(spec.intruder, profile), profile)) {
        issues.push({ path: ['intruder'], code: 'E_SAME_CALLER', message: 'the intruder sends the same credentials as the owner: give a caller of another owner (e.g. other-owner)' });
      }
    }
    return issues;
  },

  async run(ctx, spec) {
    const owner = resolveCaller(spec.owner, ctx.profile);
    const intruder = resolveCaller(spec.intruder, ctx.profile);
    assertCallersKnown(ctx, [owner, intruder]);
    const file = ctx.check.source?.file;
    const request = async (r: BolaSpec['read'] | undefined) => (r === undefined ? undefined : toRequestSpec(r, file));
    const requests = { read: await request(spec.read), update: await request(spec.update), delete: await request(spec.delete) };
    const cases = plannedCases(spec);
    const objects = new CreatedObjects(ctx);
    const outcomes: CheckOutcome[] = [];
    try {
      let id: ObjectId;
      if (spec.create) {
        const cleanup = (await request(spec.cleanup)) ?? requests.delete!;
        const idPath = spec.idPath ?? DEFAULT_ID_PATH;
        const creation = await objects.create('the owner', owner, await toRequestSpec(spec.create, file), idPath, cleanup, `owner (${owner.name}) creates the object`);
        if (!('id' in creation)) return withNotes(cases.map((c) => caseErrored(c, creation.problem, [creation.answer.exchange])), objects.notes);
        id = creation.id;
      } else {
        id = spec.objectId!;
      }
      const run: Run = { ctx, spec, owner, intruder, requests, id };
      for (const info of cases) {
        const name = info.suffix as BolaCase;
        if (ctx.signal.aborted) break;
        if (!spec.create && name !== 'read') {
          outcomes.push(caseSkipped(info, NOT_CREATED_REASON));
          continue;
        }
        ctx.progress(`case ${name}`);
        outcomes.push(await runCase(run, name, info));
      }
    } finally {
      await objects.deleteAll();
    }
    return withNotes(outcomes, objects.notes);
  },
};

/** The owner's control read, the intruder's attempt, and (update, delete) the owner's read after; judged. */
async function runCase(run: Run, name: BolaCase, info: CaseInfo): Promise<CheckOutcome> {
  const { ctx, owner, intruder, requests, id } = run;
  const refused = run.spec.refusedStatus ?? DEFAULT_REFUSED;
  const answers: Answer[] = [];
  const send = async (caller: Caller, request: RequestSpec, label: string) => {
    const answer = await sendAs(ctx, caller, request, label, id);
    answers.push(answer);
    return answer;
  };
  const exchanges = () => answers.map((a) => a.exchange);
  const noAnswer = (who: string, answer: Answer) => caseErrored(info, `${who} ${sentLine(answer.exchange)} ${outcomeOf(answer)}`, exchanges());

  const control = await send(owner, requests.read!, `owner (${owner.name}) reads its object first`);
  if (control.exchange.transport) return noAnswer("the owner's control read", control);
  if (!is2xx(control.status)) {
    const message = precondition(`the owner's own ${sentLine(control.exchange)} was answered ${control.status}, not 2xx: without the owner reaching its object, a refusal of the intruder proves nothing`);
    return caseErrored(info, message, exchanges());
  }
  const attemptAnswer = await send(intruder, requests[name]!, `intruder (${intruder.name}) tries to ${VERBS[name]} it`);
  if (attemptAnswer.exchange.transport) return noAnswer("the intruder's", attemptAnswer);
  const attempt: Attempt = { line: sentLine(attemptAnswer.exchange), method: attemptAnswer.exchange.request.method, status: attemptAnswer.status! };

  let verdict: Verdict;
  if (name === 'read') {
    verdict = judgeRead(attempt, refused);
  } else {
    const after = await send(owner, requests.read!, `owner (${owner.name}) reads it again`);
    const reread: Reread = { status: after.status, failure: after.exchange.transport ? `${after.exchange.transport.class}: ${after.exchange.transport.message}` : undefined };
    if (name === 'delete') {
      verdict = judgeDelete(attempt, reread, refused);
    } else {
      const readOf = (answer: Answer) => jsonOf(answer) ?? answer.body.toString('utf8');
      const comparison = comparisonFor(run.spec.update?.body?.json, readOf(control));
      if (comparison.blind) {
        return caseErrored(info, precondition(`the owner's read already shows every value the update sets (${comparison.properties.join(', ')}): a change could not be seen; give the update values that differ`), exchanges());
      }
      if (is2xx(after.status)) reread.changes = differences(readOf(control), readOf(after), comparison);
      verdict = judgeUpdate(attempt, reread, refused);
    }
  }
  return { idSuffix: info.suffix, title: info.title, severity: info.severity, ...verdict, evidence: { exchanges: exchanges() } };
}
