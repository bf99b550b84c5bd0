import type { JsonSchema } from '../../scenario/schema.js';
import type { KeyPlacement, TargetProfile } from '../../scenario/types.js';
import { validateRequest } from '../request.js';
import type { SpecIssue, SpecValidationContext } from '../types.js';

/** Who sends a request: a profile key by name, or a key (and where it goes) and/or a client identity from the profile. */
export type CallerSpec = string | { key?: string; identity?: string; in?: KeyPlacement['in']; header?: string; param?: string };

export const callerSchema = (description: string): JsonSchema => ({
  description: `${description} A profile key name, or \`{ key, identity }\` (a client identity alone sends no key).`,
  examples: ['other-user', { key: 'other-user', in: 'bearer' }, { identity: 'client-b' }],
  anyOf: [
    { type: 'string', minLength: 1 },
    {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        key: { type: 'string', minLength: 1, description: 'A key by its name in the profile `keys:`.', examples: ['other-user'] },
        identity: { type: 'string', minLength: 1, description: 'A client identity by its name in the profile `tls.identities`.', examples: ['client-b'] },
        in: { enum: ['header', 'bearer', 'query', 'cookie', 'basic'], description: "Where the key goes (default: where the profile's default key goes)." },
        header: { type: 'string', default: 'X-API-Key', description: 'Header name for `in: header` (default `X-API-Key`).', examples: ['X-API-Key'] },
        param: { type: 'string', description: 'Query parameter (`in: query`) or cookie name (`in: cookie`).', examples: ['api_key'] },
      },
    },
  ],
});

/** A caller as the client needs it: what to send as key and identity (unset: the profile's default), and a name for messages. */
export interface Caller {
  name: string;
  key?: string | KeyPlacement;
  identity?: string;
}

/** A key named by a caller goes where the profile's default key goes (header, bearer or query). */
function placed(name: string, profile: TargetProfile): KeyPlacement {
  const { name: _default, ...placement } = profile.defaults.key ?? { name, in: 'header' as const };
  return { ...placement, name };
}

/** The caller a spec names; none named: the profile's default key and identity. */
export function resolveCaller(spec: CallerSpec | undefined, profile: TargetProfile): Caller {
  if (spec === undefined) {
    const name = profile.defaults.key?.name ?? (profile.defaults.identity ? `identity ${profile.defaults.identity}` : 'the default caller (no key)');
    return { name };
  }
  if (typeof spec === 'string') return { name: spec, key: placed(spec, profile) };
  const name = [spec.key, spec.identity && `identity ${spec.identity}`].filter(Boolean).join(' with ');
  const placement = spec.key === undefined ? 'none' : spec.in ? { name: spec.key, in: spec.in, header: spec.header, param: spec.param } : placed(spec.key, profile);
  return { name, key: placement, identity: spec.identity };
}

/** The key name and identity name a caller ends up sending, defaults applied. */
function effective(caller: Caller, profile: TargetProfile): [string | undefined, string | undefined] {
  const key = caller.key === 'none' ? undefined : caller.key === undefined ? profile.defaults.key?.name : typeof caller.key === 'string' ? caller.key : caller.key.name;
  const identity = caller.identity ?? profile.defaults.identity;
  return [key, identity === 'none' ? undefined : identity];
}

/** Whether two callers send the same credentials, so they are one caller, not two. */
export function sameCaller(a: Caller, b: Caller, profile: TargetProfile): boolean {
  const [keyA, idA] = effective(a, profile);
  const [keyB, idB] = effective(b, profile);
  return keyA === keyB && idA === idB;
}

/** The profile key a caller sends, if any (for keyScopes). */
export function callerKeyName(caller: Caller, profile: TargetProfile): string | undefined {
  return effective(caller, profile)[0];
}

/** Load-time: the key and identity a caller names exist in the profile. */
export function validateCaller(spec: CallerSpec | undefined, at: string, context: SpecValidationContext): SpecIssue[] {
  if (spec === undefined) return [];
  const request = typeof spec === 'string' ? { key: spec } : spec;
  const issues = validateRequest(request, context, [at]);
  // A caller written as a bare key name has no `key` field to point at.
  return typeof spec === 'string' ? issues.map((issue) => ({ ...issue, path: [at] })) : issues;
}
