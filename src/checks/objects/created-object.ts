import type { RequestSpec } from '../../engine/http-client.js';
import { boundedJson } from '../../util/bounded-json.js';
import { compileJsonPath, JsonPathError, select } from '../../util/json-path.js';
import type { CheckContext, SpecIssue } from '../types.js';
import { is2xx, jsonOf, outcomeOf, sendAs, type Answer } from './answer.js';
import type { Caller } from './caller.js';
import { sentLine } from './object-request.js';
import { precondition } from './precondition.js';

/** Where a create's answer carries the new object's id when the spec does not say. */
export const DEFAULT_ID_PATH = '$.id';

export type ObjectId = string | number;

/** Why a case that would change an object the check was given (not one it created) is not run. */
export const NOT_CREATED_REASON = 'not run: the check changes only objects it created, and this one was given (objectId:), not created (create:)';

/** Load-time: `idPath` is a JSONPath or JSON Pointer, and there is a create whose answer it reads. */
export function idPathIssues(idPath: string, hasCreate: boolean): SpecIssue[] {
  if (!hasCreate) return [{ path: ['idPath'], code: 'E_BAD_VALUE', message: 'idPath reads the id from the answer of create:, and there is no create:' }];
  try {
    compileJsonPath(idPath);
    return [];
  } catch (error) {
    if (!(error instanceof JsonPathError)) throw error;
    return [{ path: ['idPath'], code: 'E_BAD_JSONPATH', message: error.message }];
  }
}

export type Creation =
  | { id: ObjectId; answer: Answer }
  /** Why there is no object to test with; `note` when one may have been made all the same. */
  | { problem: string; answer: Answer; note?: string };

/** The caller creates an object with `request`; its id is read from the answer at `idPath`. */
export async function createObject(ctx: CheckContext, who: string, caller: Caller, request: RequestSpec, idPath: string, label: string): Promise<Creation> {
  const answer = await sendAs(ctx, caller, request, label);
  const line = sentLine(answer.exchange);
  const none = 'there is no object to test with';
  if (answer.exchange.transport) return { problem: `${who}'s create ${line} ${outcomeOf(answer)}: ${none}`, answer };
  if (!is2xx(answer.status)) return { problem: precondition(`${who}'s create ${line} was answered ${answer.status}, not 2xx: ${none}`), answer };
  const lost = `an object may have been created that gauntlet cannot name, so it was not deleted`;
  const json = jsonOf(answer);
  const found = json === undefined ? undefined : select(compileJsonPath(idPath), json);
  if (!found?.found) {
    const why = json === undefined ? 'its answer is not JSON' : `its answer has nothing at ${idPath}`;
    return { problem: precondition(`${who}'s create ${line} was answered ${answer.status}, but ${why}: no id, so ${none}`), answer, note: lost };
  }
  const id = found.value;
  if ((typeof id !== 'string' || id === '') && (typeof id !== 'number' || !Number.isFinite(id))) {
    return { problem: precondition(`${who}'s create ${line} was answered ${answer.status}, but ${idPath} is ${boundedJson(id, 60)}, not an id: ${none}`), answer, note: lost };
  }
  return { id, answer };
}

/**
 * The caller deletes an object the check created, whatever happened before; what came of it, as a note for every
 * case of the check. Already gone (404, 410) is no failure: a flawed target may have let another caller delete it.
 */
export async function deleteCreated(ctx: CheckContext, who: string, caller: Caller, request: RequestSpec, id: ObjectId, label: string): Promise<string> {
  const answer = await sendAs(ctx, caller, request, label, id);
  const line = sentLine(answer.exchange);
  if (is2xx(answer.status)) return `cleanup: ${who} deleted the object the check created (${line} was answered ${answer.status})`;
  if (answer.status === 404 || answer.status === 410) return `cleanup: ${line} was answered ${answer.status}: the object the check created was already gone`;
  return `cleanup failed: ${line} ${outcomeOf(answer)}: the object the check created (id ${boundedJson(id, 80)}) may remain on the target`;
}
