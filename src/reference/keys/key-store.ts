import type Database from 'better-sqlite3';
import { GauntletError } from '../../util/errors.js';
import { missingDependency, requireOptional } from '../../util/optional-dependency.js';

/** One API key as stored. Times are epoch milliseconds; `hash` is the only trace of the secret. */
export interface KeyRecord {
  id: string;
  owner: string;
  name: string;
  /** The non-secret start of the key, e.g. `gk_live_AbCdEfGh`, so people can tell keys apart. */
  prefix: string;
  hash: Buffer;
  scopes: string[];
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number | null;
  revokedAt: number | null;
  /** Requests per minute this key may make; null means the server's default. */
  rateLimitPerMinute: number | null;
  /** Set on a rotated key: the id of the key that replaces it. */
  replacedBy: string | null;
}

const SCHEMA_VERSION = 1;

let sqlite: typeof Database | undefined;

/**
 * better-sqlite3, loaded when a key store is first needed (so only the reference server needs it). It loads
 * its native part on first use, not on require: a throwaway in-memory database shows a failed build here.
 */
export function loadSqlite(): typeof Database {
  if (sqlite) return sqlite;
  const neededFor = "the reference server's API key store (serve --keys-db, demo)";
  const Sqlite = requireOptional<typeof Database>('better-sqlite3', neededFor);
  try {
    new Sqlite(':memory:').close();
  } catch (error) {
    throw missingDependency('better-sqlite3', neededFor, error);
  }
  return (sqlite = Sqlite);
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS api_keys (
  id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  name TEXT NOT NULL,
  prefix TEXT NOT NULL,
  hash BLOB NOT NULL UNIQUE,
  scopes TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  expires_at INTEGER,
  revoked_at INTEGER,
  rate_limit_per_minute INTEGER,
  replaced_by TEXT
);
CREATE INDEX IF NOT EXISTS api_keys_prefix ON api_keys (prefix);
CREATE TABLE IF NOT EXISTS key_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

interface Row {
  id: string;
  owner: string;
  name: string;
  prefix: string;
  hash: Buffer;
  scopes: string;
  created_at: number;
  last_used_at: number | null;
  expires_at: number | null;
  revoked_at: number | null;
  rate_limit_per_minute: number | null;
  replaced_by: string | null;
}

const fromRow = (row: Row): KeyRecord => ({
  id: row.id,
  owner: row.owner,
  name: row.name,
  prefix: row.prefix,
  hash: row.hash,
  scopes: JSON.parse(row.scopes) as string[],
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
  rateLimitPerMinute: row.rate_limit_per_minute,
  replacedBy: row.replaced_by,
});

/**
 * The key table in SQLite (better-sqlite3: synchronous, so a statement has committed when it returns).
 *
 * Durability: WAL journal with synchronous=FULL. In WAL mode every commit appends to the -wal file; with FULL
 * that file is fsynced before the commit returns, so a creation the server has acknowledged survives a
 * kill -9 and also a power cut. NORMAL would survive kill -9 too (the frames are in the OS page cache once
 * write() returned) but could lose the last commits on power loss; key creations are rare and losing one
 * leaves a client holding a key the server forgot, so the fsync per creation is worth it. The batched
 * lastUsedAt writes pay one fsync per flush, not one per request.
 */
export class KeyStore {
  private readonly db: Database.Database;
  private readonly statements;

  private constructor(readonly path: string) {
    const Sqlite = loadSqlite();
    try {
      this.db = new Sqlite(path);
    } catch (error) {
      throw new GauntletError('E_KEYS_DB', `cannot open the key database ${path}: ${(error as Error).message}`);
    }
    const memory = path === ':memory:' || path === '';
    const mode = this.db.pragma('journal_mode = WAL', { simple: true }) as string;
    if (!memory && mode !== 'wal') {
      this.db.close();
      throw new GauntletError('E_KEYS_DB', `the key database ${path} cannot use WAL journaling (got '${mode}'): put it on a local file system`);
    }
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      this.db.close();
      throw new GauntletError('E_KEYS_DB', `the key database ${path} has schema version ${version}, newer than this gauntlet understands (${SCHEMA_VERSION})`);
    }
    this.db.exec(SCHEMA);
    this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    this.statements = {
      insert: this.db.prepare(
        `INSERT INTO api_keys (id, owner, name, prefix, hash, scopes, created_at, last_used_at, expires_at, revoked_at, rate_limit_per_minute, replaced_by)
         VALUES (@id, @owner, @name, @prefix, @hash, @scopes, @createdAt, @lastUsedAt, @expiresAt, @revokedAt, @rateLimitPerMinute, @replacedBy)`,
      ),
      byHash: this.db.prepare('SELECT * FROM api_keys WHERE hash = ?'),
      byPrefix: this.db.prepare('SELECT * FROM api_keys WHERE prefix = ?'),
      byId: this.db.prepare('SELECT * FROM api_keys WHERE id = ?'),
      all: this.db.prepare('SELECT * FROM api_keys ORDER BY created_at, id'),
      revoke: this.db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
      retire: this.db.prepare('UPDATE api_keys SET expires_at = ?, replaced_by = ? WHERE id = ?'),
      lastUsed: this.db.prepare('UPDATE api_keys SET last_used_at = max(coalesce(last_used_at, 0), ?) WHERE id = ?'),
      getMeta: this.db.prepare('SELECT value FROM key_meta WHERE name = ?'),
      setMeta: this.db.prepare('INSERT INTO key_meta (name, value) VALUES (?, ?)'),
    };
  }

  static open(path: string): KeyStore {
    return new KeyStore(path);
  }

  insert(record: KeyRecord): void {
    this.statements.insert.run({ ...record, scopes: JSON.stringify(record.scopes) });
  }

  findByHash(hash: Buffer): KeyRecord | undefined {
    const row = this.statements.byHash.get(hash) as Row | undefined;
    return row && fromRow(row);
  }

  findByPrefix(prefix: string): KeyRecord[] {
    return (this.statements.byPrefix.all(prefix) as Row[]).map(fromRow);
  }

  get(id: string): KeyRecord | undefined {
    const row = this.statements.byId.get(id) as Row | undefined;
    return row && fromRow(row);
  }

  list(): KeyRecord[] {
    return (this.statements.all.all() as Row[]).map(fromRow);
  }

  /** Sets revokedAt once; revoking again keeps the first time. */
  revoke(id: string, at: number): void {
    this.statements.revoke.run(at, id);
  }

  /** A rotation in one transaction: the new key exists exactly when the old one has its end set. */
  rotate(oldId: string, oldExpiresAt: number, replacement: KeyRecord): void {
    this.db.transaction(() => {
      this.insert(replacement);
      this.statements.retire.run(oldExpiresAt, replacement.id, oldId);
    })();
  }

  /** Many lastUsedAt updates in one transaction (one fsync). */
  writeLastUsed(batch: ReadonlyMap<string, number>): void {
    if (batch.size === 0) return;
    this.db.transaction(() => {
      for (const [id, at] of batch) this.statements.lastUsed.run(at, id);
    })();
  }

  getMeta(name: string): string | undefined {
    return (this.statements.getMeta.get(name) as { value: string } | undefined)?.value;
  }

  setMeta(name: string, value: string): void {
    this.statements.setMeta.run(name, value);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
