import { setTimeout as sleep } from 'node:timers/promises';
import { HttpClient } from '../engine/http-client.js';
import { mintKey } from '../reference/keys/key-format.js';
import type { ApiKeyOptions } from '../reference/server/options.js';
import type { SecretRegistry } from '../results/secrets.js';
import type { TargetProfile } from '../scenario/types.js';

/** Short, so the demo's rotation case waits half a second. */
export const DEMO_ROTATION_GRACE_MS = 500;
/** Every scope the reference routes declare but the admin ones: the `valid` key can do everything an ordinary caller may. */
const ALL_SCOPES = ['data:read', 'users:read', 'users:write', 'notes:read', 'notes:write'];
/** The admin functions: managing keys and deleting users. */
const ADMIN_SCOPES = ['keys:admin', 'users:admin'];
/** What a key creates (a note) belongs to its owner: `other-owner` is another caller, with the same scopes as `valid`. */
const OWNER = 'demo-owner';
const OTHER_OWNER = 'demo-other-owner';
const EXPIRES_AFTER_MS = 300;

export interface DemoKeys {
  options: ApiKeyOptions;
  adminKey: string;
}

/** An in-memory key store and a bootstrap admin key that only this process knows (registered as a secret). */
export function demoKeyOptions(secrets: SecretRegistry): DemoKeys {
  const adminKey = mintKey();
  secrets.add(adminKey);
  return { adminKey, options: { dbPath: ':memory:', bootstrapAdminKey: adminKey, rotationGraceMs: DEMO_ROTATION_GRACE_MS } };
}

/**
 * Provisions, through the admin API, every key the built-in scenarios name by role (valid, under-scoped, revoked,
 * expired, admin, other-owner; and `readers`, keys with data:read only), and describes the admin
 * API in the profile so the api-key lifecycle can drive it. Every key value is registered as a secret before
 * it can reach any output. Runs after the TLS setup, so the admin calls use the profile's client identity.
 */
export async function provisionDemoKeys(profile: TargetProfile, demo: DemoKeys, secrets: SecretRegistry, readers: string[] = []): Promise<void> {
  const http = new HttpClient(profile, { timeoutMs: 10_000, bodyCapBytes: 64 * 1024 }, secrets);
  const admin = { value: demo.adminKey, in: 'header' as const };
  const call = async (path: string, body?: unknown) => {
    const { exchange, body: raw } = await http.send({ method: 'POST', path, body: body === undefined ? undefined : { json: body }, rawKey: admin });
    const status = exchange.response?.status;
    if (status === undefined || status >= 300) {
      throw new Error(`demo setup: POST ${path} answered ${status ?? exchange.transport?.message} (${raw.toString('utf8').slice(0, 200)})`);
    }
    return JSON.parse(raw.toString('utf8')) as { id: string; key?: string };
  };
  const create = async (name: string, scopes: string[], expiresAt?: number, owner = OWNER) => {
    const made = await call('/admin/keys', { name: `demo ${name}`, owner, scopes, ...(expiresAt ? { expiresAt: new Date(expiresAt).toISOString() } : {}) });
    secrets.add(made.key);
    return { id: made.id, key: made.key! };
  };

  try {
    // First, so its short life is mostly over by the time the others exist.
    const expiresAt = Date.now() + EXPIRES_AFTER_MS;
    const expired = await create('expired', ALL_SCOPES, expiresAt);
    const valid = await create('valid', ALL_SCOPES);
    const underScoped = await create('under-scoped', ['data:read']);
    const revoked = await create('revoked', ALL_SCOPES);
    await call(`/admin/keys/${revoked.id}/revoke`);
    const adminKey = await create('admin', ADMIN_SCOPES);
    const otherOwner = await create('other-owner', ALL_SCOPES, undefined, OTHER_OWNER);
    const unknown = mintKey();
    secrets.add(unknown);
    await sleep(Math.max(0, expiresAt - Date.now() + 20));

    for (const [name, key] of Object.entries({ valid, 'under-scoped': underScoped, revoked, expired, admin: adminKey, 'other-owner': otherOwner })) profile.keys.set(name, key.key);
    // Keys that may read data, each with a quota of its own (the rate-limit scenarios give one to each probe).
    for (const name of readers) profile.keys.set(name, (await create(name, ['data:read'])).key);
    profile.keys.set('unknown', unknown);
    profile.defaults.key = { name: 'valid', in: 'header' };
    profile.extensions.keyManagement = {
      create: { path: '/admin/keys', body: { name: 'gauntlet lifecycle probe', scopes: ['users:read'] } },
      rotate: { path: '/admin/keys/{id}/rotate', grace: DEMO_ROTATION_GRACE_MS },
      revoke: { path: '/admin/keys/{id}/revoke' },
      list: { path: '/admin/keys' },
    };
  } finally {
    await http.close();
  }
}
