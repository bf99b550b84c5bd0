import type { RequestSpec } from '../../engine/http-client.js';
import type { KeyPlacement, TargetProfile } from '../../scenario/types.js';

/** The API key a request sends and where, resolved against the profile; undefined when it sends none. */
export interface KeyInUse {
  value: string;
  placement: Omit<KeyPlacement, 'name'>;
}

export function keyInUse(request: RequestSpec, profile: TargetProfile): KeyInUse | undefined {
  const key = request.key ?? profile.defaults.key;
  if (key === undefined || key === 'none') return undefined;
  const named: KeyPlacement = typeof key === 'string' ? { name: key, in: profile.defaults.key?.in ?? 'header' } : key;
  const value = profile.keys.get(named.name);
  if (value === undefined) return undefined;
  const { name: _name, ...placement } = named;
  return { value, placement };
}

/** The request with `value` placed as `placement` says, instead of its own key (`madeUp`: a guess, not a secret). */
export function withRawKey(request: RequestSpec, value: string, placement: Omit<KeyPlacement, 'name'>, madeUp = false): RequestSpec {
  return { ...request, key: 'none', rawKey: { value, ...placement, madeUp } };
}

export function describePlacement(placement: Omit<KeyPlacement, 'name'>): string {
  if (placement.in === 'query') return `the query (?${placement.param ?? 'api_key'}=)`;
  if (placement.in === 'bearer') return 'an Authorization: Bearer header';
  return `the ${placement.header ?? 'X-API-Key'} header`;
}
