export type NonceVerdict = 'fresh' | 'replayed' | 'full';

/**
 * Nonces seen recently, each kept until the request that carried it could no longer pass the timestamp
 * check. Bounded: when full of unexpired nonces it refuses new ones (fail closed) rather than forgetting one,
 * because forgetting a nonce reopens a replay window.
 */
export class NonceCache {
  private readonly expiries = new Map<string, number>();

  constructor(
    readonly maxEntries: number,
    private readonly now: () => number,
  ) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError('maxEntries must be a positive integer');
  }

  get size(): number {
    return this.expiries.size;
  }

  /** Records the nonce if it is new; `expiresAt` is epoch milliseconds. */
  remember(nonce: string, expiresAt: number): NonceVerdict {
    const now = this.now();
    const known = this.expiries.get(nonce);
    if (known !== undefined && known > now) return 'replayed';
    if (known === undefined && this.expiries.size >= this.maxEntries) {
      this.sweep(now);
      if (this.expiries.size >= this.maxEntries) return 'full';
    }
    this.expiries.set(nonce, expiresAt);
    return 'fresh';
  }

  private sweep(now: number): void {
    for (const [nonce, expiry] of this.expiries) if (expiry <= now) this.expiries.delete(nonce);
  }
}
