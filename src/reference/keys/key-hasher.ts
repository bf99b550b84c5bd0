import { createHmac, pbkdf2Sync } from 'node:crypto';

export const MIN_PEPPER_BYTES = 16;

/**
 * How a key becomes what the database stores. `hmac-sha256` is right for API keys: they carry 256 random bits,
 * so a fast keyed hash cannot be brute-forced, and the server-side pepper (kept outside the database) makes a
 * stolen database useless on its own. `pbkdf2-hmac-sha256` treats keys like passwords (slow on purpose); it
 * exists only for the keys-timing-leak flaw, where the slow verification is the measurable work.
 */
export type HashScheme = 'hmac-sha256' | 'pbkdf2-hmac-sha256';

const PBKDF2_ITERATIONS = 10_000;

export class KeyHasher {
  constructor(
    private readonly pepper: Buffer,
    readonly scheme: HashScheme = 'hmac-sha256',
  ) {
    if (pepper.length < MIN_PEPPER_BYTES) throw new Error(`the key pepper must be at least ${MIN_PEPPER_BYTES} bytes`);
  }

  hash(key: string): Buffer {
    const input = this.scheme === 'pbkdf2-hmac-sha256' ? pbkdf2Sync(key, 'gauntlet-api-key', PBKDF2_ITERATIONS, 32, 'sha256') : key;
    return createHmac('sha256', this.pepper).update(input).digest();
  }

  /** Identifies the pepper and scheme without revealing the pepper: stored once, compared at every start. */
  fingerprint(): string {
    return createHmac('sha256', this.pepper).update(`gauntlet:pepper-check:${this.scheme}`).digest('hex');
  }
}
