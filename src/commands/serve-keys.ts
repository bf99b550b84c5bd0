import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mintKey } from '../reference/keys/key-format.js';
import { MIN_PEPPER_BYTES } from '../reference/keys/key-hasher.js';
import { loadSqlite } from '../reference/keys/key-store.js';
import type { ApiKeyOptions } from '../reference/server/options.js';
import { fingerprint } from '../results/secrets.js';
import { parseDuration } from '../util/duration.js';
import { GauntletError } from '../util/errors.js';
import type { CommandIO } from './io.js';

export interface ServeKeyArgs {
  keysDb?: string;
  keysPepperFile?: string;
  adminKeyFile?: string;
  rotationGrace?: string;
}

const PEPPER_ENV = 'GAUNTLET_KEYS_PEPPER';
const ADMIN_KEY_ENV = 'GAUNTLET_ADMIN_KEY';

function readSecretFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    throw new GauntletError('E_KEYS_FILE', `cannot read the ${what} file ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
}

/** Writes a new secret readable by its owner only; never overwrites (another process may have made it). */
function createSecretFile(path: string, value: string, what: string): void {
  try {
    writeFileSync(path, `${value}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    throw new GauntletError('E_KEYS_FILE', `cannot create the ${what} file ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
}

/**
 * The API-key options of `gauntlet serve`. Secrets never go to stdout or stderr: the pepper and the bootstrap
 * admin key come from the environment or from files (created with mode 600 when absent); only file names and
 * a short fingerprint are printed.
 */
export function serveKeyOptions(args: ServeKeyArgs, io: CommandIO, env: NodeJS.ProcessEnv = process.env): ApiKeyOptions | undefined {
  if (!args.keysDb) {
    const stray = (['keysPepperFile', 'adminKeyFile', 'rotationGrace'] as const).find((k) => args[k] !== undefined);
    if (stray) throw new GauntletError('E_USAGE', `--${stray.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} needs --keys-db (API keys are off without a key store)`);
    return undefined;
  }
  loadSqlite(); // before any pepper or admin key file is made for a store that cannot open
  const options: ApiKeyOptions = { dbPath: args.keysDb };

  if (args.rotationGrace !== undefined) {
    const grace = parseDuration(args.rotationGrace);
    if (grace === undefined) throw new GauntletError('E_USAGE', `--rotation-grace expects a duration such as 30s, 10m or 24h; got '${args.rotationGrace}'`);
    options.rotationGraceMs = grace;
  }

  const envPepper = env[PEPPER_ENV];
  if (envPepper !== undefined) options.pepper = Buffer.from(envPepper, 'utf8');
  else if (args.keysDb !== ':memory:') {
    const file = args.keysPepperFile ?? `${args.keysDb}.pepper`;
    if (!existsSync(file)) {
      if (args.keysPepperFile !== undefined) throw new GauntletError('E_KEYS_FILE', `the pepper file ${file} does not exist`);
      createSecretFile(file, randomBytes(32).toString('base64url'), 'pepper');
      io.stderr.write(`created a pepper for the key store in ${file} (mode 600); keep it, and keep it apart from the database\n`);
    }
    options.pepper = Buffer.from(readSecretFile(file, 'pepper'), 'utf8');
  }
  if (options.pepper && options.pepper.length < MIN_PEPPER_BYTES) {
    throw new GauntletError('E_KEYS_PEPPER', `the key pepper must be at least ${MIN_PEPPER_BYTES} bytes`);
  }

  const envAdmin = env[ADMIN_KEY_ENV];
  if (envAdmin !== undefined) options.bootstrapAdminKey = envAdmin.trim();
  else if (args.adminKeyFile !== undefined) {
    if (!existsSync(args.adminKeyFile)) {
      createSecretFile(args.adminKeyFile, mintKey(), 'admin key');
      io.stderr.write(`minted an admin key (scope keys:admin) into ${args.adminKeyFile} (mode 600); it is not printed\n`);
    }
    options.bootstrapAdminKey = readSecretFile(args.adminKeyFile, 'admin key');
  }
  if (options.bootstrapAdminKey) io.stderr.write(`admin key fingerprint ${fingerprint(options.bootstrapAdminKey)}\n`);
  return options;
}
