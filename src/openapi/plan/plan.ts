import type { ApiModel, ApiOperation } from '../model.js';
import { operationLabel } from '../model.js';
import { pathFamily, slug } from '../names.js';
import { bflaCheck, bolaCheck, massAssignmentCheck } from './authz-checks.js';
import { createCheck, findProducers, type Producer } from './create-checks.js';
import { planCredentials, type CredentialPlan } from './credentials.js';
import { corsCheck, exampleLimit, headersCheck, rateLimitCheck } from './family-checks.js';
import { operationChecks } from './operation-checks.js';
import { methodsCheck } from './path-checks.js';
import { PathVars } from './request.js';
import { STAGES, type PlannedCheck, type PlannedScenario } from './types.js';

export interface AuditPlan {
  model: ApiModel;
  credentials: CredentialPlan;
  vars: PathVars;
  scenarios: PlannedScenario[];
  /** The limit each family documents, by family; null when it documents one without saying how much. */
  rateLimits: Map<string, { limit: number; window: string } | null>;
}

/** The scenario an operation belongs to: its first tag, else the family of its path. */
export function familyOf(op: ApiOperation): string {
  return slug(op.tags[0] ?? pathFamily(op.path));
}

/**
 * The whole audit of a document, one scenario per tag (or path family): per operation its key matrix (or its
 * listing as public), per path the methods it must refuse, per family its security headers, CORS and rate limit,
 * and the create checks that give the others objects to work on. Every operation of the document is in the plan.
 */
export function planAudit(model: ApiModel): AuditPlan {
  const credentials = planCredentials(model);
  const vars = new PathVars();
  const families = new Map<string, ApiOperation[]>();
  for (const op of model.operations) families.set(familyOf(op), [...(families.get(familyOf(op)) ?? []), op]);
  const producers = findProducers(model);
  const rateLimits = new Map<string, { limit: number; window: string } | null>();
  const scenarios: PlannedScenario[] = [];
  for (const [family, operations] of families) {
    const checks: PlannedCheck[] = [];
    for (const producer of producers.filter((p) => familyOf(p.create) === family)) checks.push(createCheck(producer, family, credentials, vars));
    for (const op of operations) checks.push(...operationChecks(op, family, credentials, vars));
    const paths = [...new Set(operations.map((op) => op.path))].filter((path) => familyOf(model.operations.find((op) => op.path === path)!) === family);
    for (const path of paths) {
      const check = methodsCheck(path, model.operations.filter((op) => op.path === path), family, credentials, vars);
      if (check) checks.push(check);
    }
    for (const check of [headersCheck(family, operations, credentials, vars), corsCheck(family, operations, credentials, vars)]) if (check) checks.push(check);
    checks.push(...authorizationChecks(model, family, paths, producers, credentials, vars));
    const limit = exampleLimit(operations);
    const rateLimit = rateLimitCheck(family, operations, credentials, vars, limit !== undefined);
    if (rateLimit) {
      checks.push(rateLimit);
      rateLimits.set(family, limit ?? null);
    }
    checks.sort((a, b) => STAGES.indexOf(a.stage) - STAGES.indexOf(b.stage));
    scenarios.push({ file: `${family}.yaml`, name: family, description: describeFamily(family, operations), checks });
  }
  return { model, credentials, vars, scenarios, rateLimits };
}

/** BOLA per object path, BFLA per operation an ordinary key may not call, mass assignment per create. */
function authorizationChecks(model: ApiModel, family: string, paths: string[], producers: Producer[], credentials: CredentialPlan, vars: PathVars): PlannedCheck[] {
  const checks: (PlannedCheck | undefined)[] = [];
  for (const path of paths.filter((p) => /\/\{[^}]+\}$/.test(p))) checks.push(bolaCheck(model, path, producers.find((p) => p.objectPath === path), family, credentials, vars));
  for (const op of model.operations.filter((o) => paths.includes(o.path))) checks.push(bflaCheck(model, op, producers, family, credentials, vars));
  for (const producer of producers.filter((p) => familyOf(p.create) === family)) checks.push(massAssignmentCheck(model, producer, family, credentials, vars));
  return checks.filter((c): c is PlannedCheck => c !== undefined);
}

function describeFamily(family: string, operations: ApiOperation[]): string {
  const secured = operations.filter((op) => op.security.length).length;
  return `The ${operations.length} operation(s) of ${family} (${secured} secured, ${operations.length - secured} public): ${operations.slice(0, 6).map(operationLabel).join(', ')}${operations.length > 6 ? ', and more' : ''}.`;
}

/** Every operation of the document and the checks that exercise it. */
export function operationsCovered(plan: AuditPlan): Map<string, string[]> {
  const covered = new Map(plan.model.operations.map((op) => [operationLabel(op), [] as string[]]));
  for (const check of plan.scenarios.flatMap((s) => s.checks)) for (const label of check.operations) covered.get(label)?.push(check.spec.id);
  return covered;
}
