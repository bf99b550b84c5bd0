import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { serveKeyOptions } from '../../src/commands/serve-keys.js';
import { mintKey, parseKey } from '../../src/reference/keys/key-format.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

function io() {
  let err = '';
  let out = '';
  return {
    io: { stdout: { write: (s: string) => ((out += s), true) }, stderr: { write: (s: string) => ((err += s), true) } } as never,
    text: () => out + err,
  };
}

let dir: TempDir | undefined;
afterEach(() => dir?.remove());

describe('gauntlet serve key options', () => {
  it('leaves keys off without --keys-db, and says which option needs it', () => {
    expect(serveKeyOptions({}, io().io, {})).toBeUndefined();
    expect(() => serveKeyOptions({ adminKeyFile: 'a.key' }, io().io, {})).toThrow('--admin-key-file needs --keys-db');
    expect(() => serveKeyOptions({ rotationGrace: '1h' }, io().io, {})).toThrow('--rotation-grace needs --keys-db');
  });

  it('creates a pepper file and an admin key file (mode 600) once, printing neither', () => {
    dir = tempDir();
    const db = join(dir.path, 'k.db');
    const admin = join(dir.path, 'admin.key');
    const first = io();
    const options = serveKeyOptions({ keysDb: db, adminKeyFile: admin, rotationGrace: '90s' }, first.io, {})!;
    const pepper = readFileSync(`${db}.pepper`, 'utf8').trim();
    const key = readFileSync(admin, 'utf8').trim();
    expect(statSync(`${db}.pepper`).mode & 0o777).toBe(0o600);
    expect(statSync(admin).mode & 0o777).toBe(0o600);
    expect(parseKey(key).ok).toBe(true);
    expect(options).toMatchObject({ dbPath: db, rotationGraceMs: 90_000, bootstrapAdminKey: key, pepper: Buffer.from(pepper) });
    expect(first.text()).toContain('minted an admin key');
    expect(first.text()).not.toContain(key);
    expect(first.text()).not.toContain(pepper);
    const second = io();
    expect(serveKeyOptions({ keysDb: db, adminKeyFile: admin }, second.io, {})).toMatchObject({ bootstrapAdminKey: key, pepper: Buffer.from(pepper) });
    expect(second.text()).not.toContain('minted');
  });

  it('takes the pepper and the admin key from the environment first', () => {
    dir = tempDir();
    const admin = mintKey();
    const options = serveKeyOptions({ keysDb: join(dir.path, 'k.db') }, io().io, { GAUNTLET_KEYS_PEPPER: 'p'.repeat(20), GAUNTLET_ADMIN_KEY: ` ${admin}\n` })!;
    expect(options.pepper).toEqual(Buffer.from('p'.repeat(20)));
    expect(options.bootstrapAdminKey).toBe(admin);
  });

  it('refuses a short pepper, a missing pepper file, and a bad grace', () => {
    dir = tempDir();
    const db = join(dir.path, 'k.db');
    expect(() => serveKeyOptions({ keysDb: db }, io().io, { GAUNTLET_KEYS_PEPPER: 'short' })).toThrow(/at least 16 bytes/);
    expect(() => serveKeyOptions({ keysDb: db, keysPepperFile: join(dir!.path, 'nope') }, io().io, {})).toThrow(/does not exist/);
    expect(() => serveKeyOptions({ keysDb: db, rotationGrace: 'soon' }, io().io, {})).toThrow(/--rotation-grace expects a duration/);
    writeFileSync(join(dir.path, 'p'), 'tiny');
    expect(() => serveKeyOptions({ keysDb: db, keysPepperFile: join(dir!.path, 'p') }, io().io, {})).toThrow(/at least 16 bytes/);
  });

  it('needs no pepper for a throwaway :memory: store', () => {
    expect(serveKeyOptions({ keysDb: ':memory:' }, io().io, {})).toEqual({ dbPath: ':memory:' });
  });
});
