import type { KeyPlacement } from '../../scenario/types.js';
import type { ApiModel, ApiOperation, SecurityScheme } from '../model.js';
import { envName, slug } from '../names.js';

/** The callers an audit needs of a scheme, each a key slot in the profile. */
export const KEY_ROLES = ['valid', 'under-scoped', 'other-owner', 'admin'] as const;
export type KeyRoleName = (typeof KEY_ROLES)[number];

const ROLE_COMMENTS: Record<KeyRoleName, string> = {
  valid: 'an ordinary caller: every scope these operations need, but no admin scope',
  'under-scoped': 'a valid key holding none of the scopes these operations need',
  'other-owner': 'a valid key like `valid`, of another owner (BOLA checks read and change each other\'s objects)',
  admin: 'a key holding the admin scopes too',
};

/** How one security scheme's credentials are sent and which profile keys play each role. */
export interface SchemeCredentials {
  scheme: SecurityScheme;
  /** Where the key goes; undefined for mutualTLS (a client certificate, not a key). */
  placement?: Omit<KeyPlacement, 'name'>;
  /** Profile key name per role. */
  keys: Record<KeyRoleName, string>;
  /** Scopes the document names for the scheme. */
  scopes: string[];
}

export interface KeySlot {
  name: string;
  env: string;
  comment: string;
}

export interface CredentialPlan {
  schemes: Map<string, SchemeCredentials>;
  /** Every key slot of the profile, in order. */
  slots: KeySlot[];
  /** What each key is assumed to hold, for the profile's keyScopes (to be corrected by the user). */
  keyScopes: Record<string, string[]>;
  /** Whether an operation needs a client certificate. */
  mutualTls: boolean;
  /** The scheme most operations use (its keys get the plain role names). */
  primary?: string;
}

/** Scopes whose name says they are for administrators. */
export function isAdminScope(scope: string): boolean {
  return /admin|superuser|root|manage/i.test(scope);
}

/** Where a scheme puts its credential; mutualTLS has none. */
export function placementOf(scheme: SecurityScheme): Omit<KeyPlacement, 'name'> | undefined {
  switch (scheme.type) {
    case 'apiKey':
      return scheme.in === 'header' ? { in: 'header', header: scheme.param } : { in: scheme.in, param: scheme.param };
    case 'http':
      return scheme.scheme === 'basic' ? { in: 'basic' } : { in: 'bearer' };
    case 'oauth2':
    case 'openIdConnect':
      return { in: 'bearer' };
    case 'mutualTLS':
      return undefined;
  }
}

/** The scheme an operation is audited through: its first alternative's first scheme that carries a credential. */
export function schemeOf(op: ApiOperation, plan: CredentialPlan): SchemeCredentials | undefined {
  for (const requirement of op.security) {
    for (const name of requirement.keys()) {
      const credentials = plan.schemes.get(name);
      if (credentials?.placement) return credentials;
    }
  }
  return undefined;
}

/** The key a request of this operation carries, when it is not the profile's default (the primary scheme's). */
export function keyFor(op: ApiOperation, plan: CredentialPlan): KeyPlacement | undefined {
  const credential = schemeOf(op, plan);
  if (!credential?.placement) return undefined;
  const role = adminOnly(op, plan) ? 'admin' : 'valid';
  if (role === 'valid' && credential.scheme.name === plan.primary) return undefined;
  return { name: credential.keys[role], ...credential.placement };
}

/** Whether an operation needs a scope the ordinary (`valid`) key is not assumed to hold: only the admin key may call it. */
export function adminOnly(op: ApiOperation, plan: CredentialPlan): boolean {
  const credential = schemeOf(op, plan);
  if (!credential) return false;
  const ordinary = plan.keyScopes[credential.keys.valid] ?? [];
  return scopesOf(op, credential.scheme.name).some((s) => isAdminScope(s) || !ordinary.includes(s));
}

/** The scopes an operation needs through that scheme (its requirement's, and an x-scopes extension's). */
export function scopesOf(op: ApiOperation, scheme: string): string[] {
  const requirement = op.security.find((r) => r.has(scheme));
  return [...new Set([...(requirement?.get(scheme) ?? []), ...op.extensionScopes])];
}

/** Key slots per scheme in use: the most used scheme's keys are named by role alone, the others prefixed. */
export function planCredentials(model: ApiModel): CredentialPlan {
  const uses = new Map<string, number>();
  let mutualTls = false;
  for (const op of model.operations) {
    for (const requirement of op.security.slice(0, 1)) {
      for (const name of requirement.keys()) {
        if (model.schemes.get(name)?.type === 'mutualTLS') mutualTls = true;
        else uses.set(name, (uses.get(name) ?? 0) + 1);
      }
    }
  }
  const used = [...uses.entries()].filter(([name]) => model.schemes.has(name)).sort((a, b) => b[1] - a[1]).map(([name]) => name);
  const primary = used[0];
  const schemes = new Map<string, SchemeCredentials>();
  const slots: KeySlot[] = [];
  const keyScopes: Record<string, string[]> = {};
  for (const name of used) {
    const scheme = model.schemes.get(name)!;
    const prefix = name === primary ? '' : `${slug(name)}-`;
    const keys = Object.fromEntries(KEY_ROLES.map((role) => [role, `${prefix}${role}`])) as Record<KeyRoleName, string>;
    const scopes = schemeScopes(model, name);
    schemes.set(name, { scheme, placement: placementOf(scheme), keys, scopes });
    for (const role of KEY_ROLES) {
      slots.push({ name: keys[role], env: envName('GAUNTLET_KEY', keys[role]), comment: `${describeScheme(scheme)}: ${ROLE_COMMENTS[role]}` });
    }
    const ordinary = scopes.filter((s) => !isAdminScope(s));
    Object.assign(keyScopes, { [keys.valid]: ordinary, [keys['under-scoped']]: [], [keys['other-owner']]: ordinary, [keys.admin]: scopes });
  }
  for (const [name, scheme] of model.schemes) if (!schemes.has(name)) schemes.set(name, { scheme, placement: placementOf(scheme), keys: Object.fromEntries(KEY_ROLES.map((r) => [r, r])) as Record<KeyRoleName, string>, scopes: [] });
  return { schemes, slots, keyScopes, mutualTls, primary };
}

function schemeScopes(model: ApiModel, name: string): string[] {
  const scheme = model.schemes.get(name);
  const declared = scheme && 'scopes' in scheme ? scheme.scopes : [];
  const required = model.operations.flatMap((op) => scopesOf(op, name));
  return [...new Set([...declared, ...required])].sort();
}

export function describeScheme(scheme: SecurityScheme): string {
  switch (scheme.type) {
    case 'apiKey':
      return `${scheme.name} (API key in ${scheme.in === 'header' ? `the ${scheme.param} header` : `${scheme.in} ${scheme.param}`})`;
    case 'http':
      return `${scheme.name} (HTTP ${scheme.scheme === 'basic' ? 'Basic: the value is user:password' : 'Bearer token'})`;
    case 'oauth2':
    case 'openIdConnect':
      return `${scheme.name} (${scheme.type} access token, sent as Bearer)`;
    case 'mutualTLS':
      return `${scheme.name} (client certificate)`;
  }
}
