import { describe, expect, it } from 'vitest';
import { callerKeyName, resolveCaller, sameCaller } from '../../src/checks/objects/caller.js';
import { forObject, namesObject } from '../../src/checks/objects/object-request.js';
import { profileFromTarget } from '../../src/scenario/load-profile.js';
import type { TargetProfile } from '../../src/scenario/types.js';

const profile: TargetProfile = {
  ...profileFromTarget('http://127.0.0.1:1'),
  keys: new Map([
    ['owner', 'k1'],
    ['other', 'k2'],
  ]),
  defaults: { key: { name: 'owner', in: 'bearer' } },
};

describe('callers of the object kinds', () => {
  it('places a named key where the profile places its default key', () => {
    expect(resolveCaller('other', profile)).toEqual({ name: 'other', key: { name: 'other', in: 'bearer' } });
    expect(resolveCaller(undefined, profile)).toEqual({ name: 'owner' });
  });

  it('sends no key for a caller that is a client identity alone', () => {
    expect(resolveCaller({ identity: 'alice' }, profile)).toEqual({ name: 'identity alice', key: 'none', identity: 'alice' });
    expect(resolveCaller({ key: 'other', identity: 'bob' }, profile)).toEqual({ name: 'other with identity bob', key: { name: 'other', in: 'bearer' }, identity: 'bob' });
  });

  it('knows the default caller and the default key named again are one caller', () => {
    expect(sameCaller(resolveCaller(undefined, profile), resolveCaller('owner', profile), profile)).toBe(true);
    expect(sameCaller(resolveCaller(undefined, profile), resolveCaller('other', profile), profile)).toBe(false);
    expect(sameCaller(resolveCaller({ identity: 'a' }, profile), resolveCaller({ identity: 'b' }, profile), profile)).toBe(false);
    expect(callerKeyName(resolveCaller({ identity: 'a' }, profile), profile)).toBeUndefined();
  });
});

describe('object requests', () => {
  it('fills {id} in the path (encoded) and in query values', () => {
    expect(forObject({ path: '/api/notes/{id}' }, 'a/b c')).toEqual({ path: '/api/notes/a%2Fb%20c' });
    expect(forObject({ path: '/api/notes', query: { id: '{id}', n: 1 } }, 7)).toEqual({ path: '/api/notes', query: { id: '7', n: 1 } });
    expect(namesObject({ path: '/api/notes', query: { id: '{id}' } })).toBe(true);
    expect(namesObject({ path: '/api/notes' })).toBe(false);
  });
});
