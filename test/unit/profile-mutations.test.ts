import { describe, expect, it } from 'vitest';
import { CHECK_KINDS } from '../../src/checks/index.js';
import { SecretRegistry } from '../../src/results/secrets.js';
import { ScenarioError } from '../../src/scenario/diagnostics.js';
import { loadProfile } from '../../src/scenario/load-profile.js';
import { tempDir } from '../helpers/temp.js';

const env = { OWNER_KEY: 'sk_owner_value_1234', ADMIN_KEY: 'sk_admin_value_1234' };

function load(text: string) {
  const dir = tempDir();
  try {
    return loadProfile(dir.file('profile.yaml', text), { kinds: CHECK_KINDS, secrets: new SecretRegistry(), env });
  } finally {
    dir.remove();
  }
}

const base = 'target: http://127.0.0.1:1\nkeys: { owner: "${env:OWNER_KEY}", admin: "${env:ADMIN_KEY}" }\n';

describe('profile: mutations and keyScopes', () => {
  it('forbids mutations unless the profile says mutations: allowed', () => {
    expect(load(base).mutations).toBe('forbidden');
    expect(load(`${base}mutations: forbidden\n`).mutations).toBe('forbidden');
    expect(load(`${base}mutations: allowed\n`).mutations).toBe('allowed');
  });

  it('refuses any other value, at its line', () => {
    try {
      load(`${base}mutations: yes\n`);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ScenarioError);
      const [first] = (error as ScenarioError).diagnostics;
      expect(first).toMatchObject({ line: 3, code: 'E_BAD_VALUE', message: 'mutations must be one of allowed, forbidden, got string "yes"' });
    }
  });

  it('reads keyScopes as key name -> scopes, and names a key the profile does not define', () => {
    const profile = load(`${base}keyScopes:\n  owner: [notes:read]\n  admin: [notes:read, users:delete]\n`);
    expect(profile.keyScopes.get('admin')).toEqual(['notes:read', 'users:delete']);
    try {
      load(`${base}keyScopes:\n  ownr: [notes:read]\n`);
      expect.unreachable();
    } catch (error) {
      const [first] = (error as ScenarioError).diagnostics;
      expect(first).toMatchObject({ line: 4, code: 'E_UNKNOWN_NAME' });
      expect(first!.message).toBe("API key 'ownr' is not defined in this profile (did you mean 'owner'?)");
    }
  });
});
