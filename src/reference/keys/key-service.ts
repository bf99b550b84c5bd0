import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { GauntletError } from '../../util/errors.js';
import type { ApiKeyOptions } from '../server/options.js';
import { DEFAULT_SCHEME, assertScheme, displayPrefixOf, hasKeyShape, mintKey, parseKey, type KeyScheme } from './key-format.js';
import { KeyHasher } from './key-hasher.js';
import { KeyStore, type KeyRecord } from './key-store.js';
import { LastUsedWriter } from './last-used-writer.js';

export const ADMIN_SCOPE = 'keys:admin';
export const DEFAULT_ROTATION_GRACE_MS = 24 * 3_600_000;
const DEFAULT_LAST_USED_FLUSH_MS = 5_000;
/** keys-timing-leak: how many verified keys the flawed lookup remembers. */
const VERIFIED_CACHE_SIZE = 256;

export type KeyFailure = 'malformed' | 'unknown' | 'revoked' | 'expired';
export type AuthResult = { ok: true; key: KeyRecord } | { ok: false; reason: KeyFailure };

/** Misbehaviours of the service itself (the HTTP-level ones live in the authentication part). */
export interface KeyServiceFlaws {
  /** keys-revocation-ignored: revokedAt is recorded but never checked. */
  ignoreRevocation?: boolean;
  /** keys-expiry-ignored: expiresAt is recorded but never checked (rotated keys never end either). */
  ignoreExpiry?: boolean;
  /** keys-timing-leak: keys found by their display prefix, then verified with a slow hash. */
  prefixLookup?: boolean;
}

export interface NewKey {
  name: string;
  owner: string;
  scopes: string[];
  expiresAt?: number | null;
  rateLimitPerMinute?: number | null;
}

export class KeyNotFoundError extends Error {}
/** The key is in a state that forbids the operation (rotating a revoked key, for instance). */
export class KeyStateError extends Error {}

/**
 * The reference key service: mints keys, stores only their peppered hash, authenticates presented keys,
 * rotates with a grace period and revokes at once. The plaintext of a key exists only in the return value of
 * create() and rotate().
 */
export class ApiKeyService {
  private readonly hasher: KeyHasher;
  private readonly lastUsed: LastUsedWriter;
  private readonly now: () => number;
  private readonly verifiedHashes = new Map<string, Buffer>();
  readonly scheme: KeyScheme;
  readonly rotationGraceMs: number;

  private constructor(
    private readonly store: KeyStore,
    options: ApiKeyOptions,
    private readonly flaws: KeyServiceFlaws,
  ) {
    this.now = options.now ?? Date.now;
    this.scheme = options.scheme ?? DEFAULT_SCHEME;
    assertScheme(this.scheme);
    this.rotationGraceMs = options.rotationGraceMs ?? DEFAULT_ROTATION_GRACE_MS;
    const memory = options.dbPath === ':memory:';
    if (!options.pepper && !memory) {
      throw new GauntletError('E_KEYS_PEPPER', `a key database file (${options.dbPath}) needs a pepper: without the same pepper at every start, stored keys never match`);
    }
    this.hasher = new KeyHasher(options.pepper ?? randomBytes(32), flaws.prefixLookup ? 'pbkdf2-hmac-sha256' : 'hmac-sha256');
    this.checkPepper();
    this.lastUsed = new LastUsedWriter((batch) => store.writeLastUsed(batch), options.lastUsedFlushMs ?? DEFAULT_LAST_USED_FLUSH_MS);
  }

  static open(options: ApiKeyOptions, flaws: KeyServiceFlaws = {}): ApiKeyService {
    const store = KeyStore.open(options.dbPath);
    try {
      const service = new ApiKeyService(store, options, flaws);
      if (options.bootstrapAdminKey !== undefined) service.ensureAdminKey(options.bootstrapAdminKey);
      return service;
    } catch (error) {
      store.close();
      throw error;
    }
  }

  /** A new key; its plaintext is returned here and never again. */
  create(input: NewKey): { key: string; record: KeyRecord } {
    const key = mintKey(this.scheme);
    const record = this.recordFor(key, input);
    this.store.insert(record);
    return { key, record };
  }

  list(): KeyRecord[] {
    return this.store.list().map((r) => this.withPendingUse(r));
  }

  get(id: string): KeyRecord | undefined {
    const record = this.store.get(id);
    return record && this.withPendingUse(record);
  }

  /**
   * A replacement key with the same owner, name, scopes, expiry and rate limit; the old key keeps working
   * for the grace period (the server's, or a shorter one asked for), then ends.
   */
  rotate(id: string, graceMs?: number): { key: string; record: KeyRecord; previous: KeyRecord } {
    const old = this.store.get(id);
    if (!old) throw new KeyNotFoundError(`no key with id ${id}`);
    const now = this.now();
    if (old.revokedAt !== null) throw new KeyStateError('a revoked key cannot be rotated');
    if (old.expiresAt !== null && old.expiresAt <= now) throw new KeyStateError('an expired key cannot be rotated');
    if (old.replacedBy !== null) throw new KeyStateError(`this key was already rotated; rotate its replacement ${old.replacedBy}`);
    const grace = Math.min(graceMs ?? this.rotationGraceMs, this.rotationGraceMs);
    const ends = Math.min(old.expiresAt ?? Number.POSITIVE_INFINITY, now + grace);
    const key = mintKey(this.scheme);
    const record = this.recordFor(key, old);
    this.store.rotate(old.id, ends, record);
    return { key, record, previous: this.store.get(old.id)! };
  }

  /** Immediate: the next request with this key is refused. */
  revoke(id: string): KeyRecord {
    if (!this.store.get(id)) throw new KeyNotFoundError(`no key with id ${id}`);
    this.store.revoke(id, this.now());
    return this.get(id)!;
  }

  authenticate(presented: string): AuthResult {
    if (this.flaws.prefixLookup) return this.authenticateByPrefix(presented);
    if (!parseKey(presented).ok) return { ok: false, reason: 'malformed' };
    const record = this.store.findByHash(this.hasher.hash(presented));
    return record ? this.judge(record) : { ok: false, reason: 'unknown' };
  }

  /** Stores `key` with scope keys:admin unless it is stored already (then it is left as the admins made it). */
  ensureAdminKey(key: string): void {
    const parsed = parseKey(key);
    if (!parsed.ok) {
      throw new GauntletError('E_KEYS_BOOTSTRAP', `the bootstrap admin key is not a well-formed key (${parsed.problem}); let gauntlet mint one with --admin-key-file`);
    }
    if (this.store.findByHash(this.hasher.hash(key))) return;
    this.store.insert(this.recordFor(key, { name: 'bootstrap admin', owner: 'operator', scopes: [ADMIN_SCOPE] }));
  }

  close(): void {
    try {
      this.lastUsed.close();
    } finally {
      this.store.close();
    }
  }

  private recordFor(key: string, input: NewKey): KeyRecord {
    return {
      id: `key_${randomBytes(9).toString('base64url')}`,
      owner: input.owner,
      name: input.name,
      prefix: displayPrefixOf(key)!,
      hash: this.hasher.hash(key),
      scopes: [...new Set(input.scopes)],
      createdAt: this.now(),
      lastUsedAt: null,
      expiresAt: input.expiresAt ?? null,
      revokedAt: null,
      rateLimitPerMinute: input.rateLimitPerMinute ?? null,
      replacedBy: null,
    };
  }

  private judge(record: KeyRecord): AuthResult {
    const now = this.now();
    if (record.revokedAt !== null && !this.flaws.ignoreRevocation) return { ok: false, reason: 'revoked' };
    if (record.expiresAt !== null && record.expiresAt <= now && !this.flaws.ignoreExpiry) return { ok: false, reason: 'expired' };
    this.lastUsed.touch(record.id, now);
    return { ok: true, key: record };
  }

  /**
   * The keys-timing-leak flaw: a common design that finds the key by its non-secret display prefix and then
   * verifies it with a slow password hash. The slow work happens only when the prefix matches a stored key,
   * so an attacker can tell, by response time, which guessed prefixes exist (and the cheap checksum guard is
   * skipped, so every well-shaped guess reaches the lookup).
   */
  /**
   * The keys-timing-leak flaw: a lookup by the non-secret prefix, then the slow hash only when a record has that
   * prefix. Keys that verified once are remembered (a common auth cache), so legitimate traffic stays fast and
   * only guesses that share a real prefix pay the slow path: the leak, and nothing else.
   */
  private authenticateByPrefix(presented: string): AuthResult {
    if (!hasKeyShape(presented)) return { ok: false, reason: 'malformed' };
    const candidates = this.store.findByPrefix(displayPrefixOf(presented)!);
    if (candidates.length === 0) return { ok: false, reason: 'unknown' };
    const cacheKey = createHash('sha256').update(presented).digest('hex');
    const hash = this.verifiedHashes.get(cacheKey) ?? this.hasher.hash(presented);
    const match = candidates.find((c) => c.hash.length === hash.length && timingSafeEqual(c.hash, hash));
    if (!match) return { ok: false, reason: 'unknown' };
    if (!this.verifiedHashes.has(cacheKey)) {
      if (this.verifiedHashes.size >= VERIFIED_CACHE_SIZE) this.verifiedHashes.delete(this.verifiedHashes.keys().next().value!);
      this.verifiedHashes.set(cacheKey, hash);
    }
    return this.judge(match);
  }

  private withPendingUse(record: KeyRecord): KeyRecord {
    const pending = this.lastUsed.pendingFor(record.id);
    return pending !== undefined && pending > (record.lastUsedAt ?? 0) ? { ...record, lastUsedAt: pending } : record;
  }

  private checkPepper(): void {
    const fingerprint = this.hasher.fingerprint();
    const stored = this.store.getMeta('pepper_fingerprint');
    if (stored === undefined) this.store.setMeta('pepper_fingerprint', fingerprint);
    else if (stored !== fingerprint) {
      throw new GauntletError(
        'E_KEYS_PEPPER',
        `the key database ${this.store.path} was created with another pepper or hash scheme: no stored key would match. Start with the pepper it was made with, or a new database file`,
      );
    }
  }
}
