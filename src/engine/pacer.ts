/**
 * The profile's `pace`: the requests of the whole run (all checks but rate-limit and load measurements, and
 * bursts meant to meet the limit) go out at most `perSecond` a second. Each request takes the next free slot,
 * first come first served, so checks running side by side share the pace.
 */
export class Pacer {
  private next = Number.NEGATIVE_INFINITY;

  constructor(
    readonly perSecond: number | undefined,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes the next free slot: how long to wait for it (0 without a pace, or when a slot is free now). */
  reserve(): number {
    if (!this.perSecond) return 0;
    const now = this.now();
    const slot = Math.max(now, this.next);
    this.next = slot + 1000 / this.perSecond;
    return slot - now;
  }
}
