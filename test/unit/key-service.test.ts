import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mintKey } from '../../src/reference/keys/key-format.js';
import { ApiKeyService, KeyStateError } from '../../src/reference/keys/key-service.js';
import { LastUsedWriter } from '../../src/reference/keys/last-used-writer.js';
import { tempDir } from '../helpers/temp.js';

const PEPPER = Buffer.alloc(32, 1);

function clock(start = Date.UTC(2030, 0, 1)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const open: ApiKeyService[] = [];
function service(options: Partial<Parameters<typeof ApiKeyService.open>[0]> = {}, flaws = {}) {
  const s = ApiKeyService.open({ dbPath: ':memory:', pepper: PEPPER, lastUsedFlushMs: 0, ...options }, flaws);
  open.push(s);
  return s;
}
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

describe('the reference key service', () => {
  it('returns the plaintext once, at creation, and lists keys without hash or plaintext', () => {
    const s = service();
    const { key, record } = s.create({ name: 'ci', owner: 'team-a', scopes: ['users:read', 'users:read', 'data:read'] });
    expect(key).toMatch(/^gk_live_/);
    expect(record).toMatchObject({ name: 'ci', owner: 'team-a', scopes: ['users:read', 'data:read'], prefix: key.slice(0, 16) });
    expect(record.hash).toHaveLength(32);
    expect(JSON.stringify(s.list())).not.toContain(key.slice(16));
    expect(s.authenticate(key)).toMatchObject({ ok: true, key: { id: record.id } });
  });

  it('stores only a peppered hash: the plaintext is nowhere in the database file', () => {
    const dir = tempDir();
    try {
      const dbPath = join(dir.path, 'keys.db');
      const s = service({ dbPath });
      const keys = Array.from({ length: 5 }, (_, i) => s.create({ name: `k${i}`, owner: 'o', scopes: [] }).key);
      s.close();
      const bytes = ['', '-wal'].map((suffix) => {
        try {
          return readFileSync(dbPath + suffix).toString('latin1');
        } catch {
          return '';
        }
      }).join('');
      expect(bytes).toContain(keys[0]!.slice(0, 16));
      for (const key of keys) expect(bytes).not.toContain(key.slice(16, 40));
    } finally {
      dir.remove();
    }
  });

  it('says why a key is refused: malformed, unknown, revoked, expired', () => {
    const c = clock();
    const s = service({ now: c.now });
    const live = s.create({ name: 'a', owner: 'o', scopes: [] });
    const revoked = s.create({ name: 'b', owner: 'o', scopes: [] });
    const expiring = s.create({ name: 'c', owner: 'o', scopes: [], expiresAt: c.now() + 1000 });
    s.revoke(revoked.record.id);
    expect(s.authenticate('nope')).toEqual({ ok: false, reason: 'malformed' });
    expect(s.authenticate(mintKey())).toEqual({ ok: false, reason: 'unknown' });
    expect(s.authenticate(revoked.key)).toEqual({ ok: false, reason: 'revoked' });
    expect(s.authenticate(expiring.key).ok).toBe(true);
    c.advance(1000);
    expect(s.authenticate(expiring.key)).toEqual({ ok: false, reason: 'expired' });
    expect(s.authenticate(live.key).ok).toBe(true);
  });

  it('rotates: the old key works for the grace period, then ends; the new key works at once', () => {
    const c = clock();
    const s = service({ now: c.now, rotationGraceMs: 60_000 });
    const old = s.create({ name: 'svc', owner: 'o', scopes: ['data:read'], rateLimitPerMinute: 100 });
    const rotated = s.rotate(old.record.id, 10_000);
    expect(rotated.record).toMatchObject({ name: 'svc', scopes: ['data:read'], rateLimitPerMinute: 100 });
    expect(rotated.previous).toMatchObject({ replacedBy: rotated.record.id, expiresAt: c.now() + 10_000 });
    expect(s.authenticate(rotated.key).ok).toBe(true);
    c.advance(9_999);
    expect(s.authenticate(old.key).ok).toBe(true);
    c.advance(1);
    expect(s.authenticate(old.key)).toEqual({ ok: false, reason: 'expired' });
    expect(() => s.rotate(old.record.id)).toThrow(KeyStateError);
  });

  it('never grants a longer grace than the server allows, and refuses to rotate a revoked key', () => {
    const c = clock();
    const s = service({ now: c.now, rotationGraceMs: 5_000 });
    const a = s.create({ name: 'a', owner: 'o', scopes: [] });
    expect(s.rotate(a.record.id, 3_600_000).previous.expiresAt).toBe(c.now() + 5_000);
    const b = s.create({ name: 'b', owner: 'o', scopes: [] });
    s.revoke(b.record.id);
    expect(() => s.rotate(b.record.id)).toThrow(/revoked/);
  });

  it('revokes at once, and a second revocation keeps the first time', () => {
    const c = clock();
    const s = service({ now: c.now });
    const { key, record } = s.create({ name: 'a', owner: 'o', scopes: [] });
    expect(s.authenticate(key).ok).toBe(true);
    const first = s.revoke(record.id).revokedAt;
    expect(s.authenticate(key)).toEqual({ ok: false, reason: 'revoked' });
    c.advance(5000);
    expect(s.revoke(record.id).revokedAt).toBe(first);
  });

  it('keeps keys across a restart with the same pepper, and refuses to open with another pepper', () => {
    const dir = tempDir();
    try {
      const dbPath = join(dir.path, 'keys.db');
      const first = service({ dbPath, lastUsedFlushMs: 60_000 });
      const { key, record } = first.create({ name: 'a', owner: 'o', scopes: ['x:y'] });
      expect(first.authenticate(key).ok).toBe(true);
      first.close();
      const second = service({ dbPath });
      expect(second.authenticate(key)).toMatchObject({ ok: true, key: { id: record.id, scopes: ['x:y'] } });
      expect(second.get(record.id)!.lastUsedAt).not.toBeNull();
      second.close();
      expect(() => service({ dbPath, pepper: Buffer.alloc(32, 2) })).toThrow(/another pepper/);
      expect(() => service({ dbPath }, { prefixLookup: true })).toThrow(/hash scheme/);
      expect(() => service({ dbPath, pepper: undefined })).toThrow(/needs a pepper/);
    } finally {
      dir.remove();
    }
  });

  it('stores a bootstrap admin key once, and refuses a malformed one', () => {
    const admin = mintKey();
    const s = service({ bootstrapAdminKey: admin });
    expect(s.authenticate(admin)).toMatchObject({ ok: true, key: { scopes: ['keys:admin'] } });
    s.ensureAdminKey(admin);
    expect(s.list()).toHaveLength(1);
    expect(() => service({ bootstrapAdminKey: 'admin' })).toThrow(/not a well-formed key/);
  });

  it('with flaws, ignores revocation or expiry, or looks keys up by prefix (still only the right key matches)', () => {
    const c = clock();
    const lax = service({ now: c.now }, { ignoreRevocation: true, ignoreExpiry: true });
    const r = lax.create({ name: 'r', owner: 'o', scopes: [], expiresAt: c.now() + 10 });
    lax.revoke(r.record.id);
    c.advance(20);
    expect(lax.authenticate(r.key).ok).toBe(true);

    const byPrefix = service({}, { prefixLookup: true });
    const { key } = byPrefix.create({ name: 'p', owner: 'o', scopes: [] });
    expect(byPrefix.authenticate(key).ok).toBe(true);
    const samePrefix = key.slice(0, 16) + mintKey().slice(16);
    expect(byPrefix.authenticate(samePrefix)).toEqual({ ok: false, reason: 'unknown' });
  });
});

describe('batched lastUsedAt', () => {
  it('writes nothing per use, one batch per interval with the latest time per key, and flushes on close', () => {
    vi.useFakeTimers();
    try {
      const batches: Map<string, number>[] = [];
      const writer = new LastUsedWriter((batch) => batches.push(new Map(batch)), 1000);
      for (let i = 0; i < 1000; i++) writer.touch(`k${i % 3}`, i);
      expect(batches).toHaveLength(0);
      expect(writer.pendingFor('k0')).toBe(999);
      vi.advanceTimersByTime(1000);
      expect(batches).toEqual([new Map([['k0', 999], ['k1', 997], ['k2', 998]])]);
      vi.advanceTimersByTime(5000);
      expect(batches).toHaveLength(1);
      writer.touch('k1', 2000);
      writer.touch('k1', 1500);
      writer.close();
      expect(batches[1]).toEqual(new Map([['k1', 2000]]));
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps the uses of a failed write for the next flush', () => {
    let fail = true;
    const written: Map<string, number>[] = [];
    const writer = new LastUsedWriter((batch) => {
      if (fail) throw new Error('disk full');
      written.push(new Map(batch));
    }, 0);
    writer.touch('a', 1);
    expect(() => writer.flush()).toThrow('disk full');
    writer.touch('a', 2);
    fail = false;
    writer.close();
    expect(written).toEqual([new Map([['a', 2]])]);
  });

  it('shows unwritten uses in listings', () => {
    const c = clock();
    const s = service({ now: c.now, lastUsedFlushMs: 60_000 });
    const { key, record } = s.create({ name: 'a', owner: 'o', scopes: [] });
    c.advance(500);
    s.authenticate(key);
    expect(s.list()[0]!.lastUsedAt).toBe(c.now());
    expect(s.get(record.id)!.lastUsedAt).toBe(c.now());
  });
});
