import type { SpecIssue } from '../types.js';
import { idPathIssues } from './created-object.js';
import { namesObject, type ObjectRequestSpec } from './object-request.js';

/** Where a check's object comes from: made by create (its id read at idPath) or given (objectId). */
export interface ObjectSource {
  create?: ObjectRequestSpec;
  idPath?: string;
  objectId?: string | number;
  cleanup?: ObjectRequestSpec;
}

export interface ObjectRequests {
  /** Requests that must name the object with {id}, by field. */
  naming: Record<string, ObjectRequestSpec | undefined>;
  /** Whether the check's requests name an object at all (then it needs create or objectId). */
  usesObject: boolean;
  /** Whether something deletes a created object when cleanup is not given (e.g. the delete request). */
  cleanupDefault: boolean;
  /** Where to point when the object has no source. */
  at: string;
  example: string;
}

/** Load-time: the requests name an object the check makes or is given, and a made object is cleaned up. */
export function objectIssues(spec: ObjectSource, requests: ObjectRequests): SpecIssue[] {
  const issues: SpecIssue[] = [];
  for (const [field, request] of Object.entries(requests.naming)) {
    if (request && !namesObject(request)) {
      issues.push({ path: [field, 'path'], code: 'E_NO_OBJECT_ID', message: `${field} does not name the object: put {id} where its id goes (e.g. ${requests.example})` });
    }
  }
  if (spec.create && namesObject(spec.create)) issues.push({ path: ['create', 'path'], code: 'E_BAD_VALUE', message: 'create cannot use {id}: the object does not exist yet' });
  if (requests.usesObject && !spec.create && spec.objectId === undefined) {
    issues.push({ path: [requests.at, 'path'], code: 'E_NO_OBJECT', message: 'the requests name an object with {id}, but the check has neither create: (to make one) nor objectId: (an existing one)' });
  }
  if (!requests.usesObject && spec.create) issues.push({ path: ['create'], code: 'E_BAD_VALUE', message: 'create makes an object, but no request of the check names it with {id}' });
  if (spec.create && spec.objectId !== undefined) issues.push({ path: ['objectId'], code: 'E_BAD_VALUE', message: 'give create: (the check makes its object) or objectId: (an existing one), not both' });
  if (spec.idPath !== undefined) issues.push(...idPathIssues(spec.idPath, spec.create !== undefined));
  if (spec.create && !spec.cleanup && !requests.cleanupDefault) {
    issues.push({ path: ['create'], code: 'E_NO_CLEANUP', message: `the check must delete the object it creates: give cleanup:, e.g. { method: DELETE, path: ${requests.example} }` });
  }
  if (!spec.create && spec.cleanup) issues.push({ path: ['cleanup'], code: 'E_BAD_VALUE', message: 'cleanup is for an object the check creates: without create: there is nothing to clean up' });
  return issues;
}
