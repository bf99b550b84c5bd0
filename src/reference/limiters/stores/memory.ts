import { decide, decideOne } from '../algorithms/decide.js';
import { checkCost, compilePolicies, stateStride } from '../algorithms/policy.js';
import { algorithmByName } from '../algorithms/registry.js';
import type { Algorithm, AlgorithmName, Clock, Decision, Policy, PolicySpec } from '../algorithms/types.js';
import type { Limiter } from '../limiter.js';

export interface MemoryStoreOptions {
  algorithm: AlgorithmName | Algorithm;
  policies: PolicySpec[];
  clock?: Clock;
  countRefused?: boolean;
  /** Most keys held at once (default 1 000 000); see evictions below. */
  maxKeys?: number;
}

export interface MemoryStoreStats {
  keys: number;
  /** Keys dropped because their state had become equivalent to a fresh one. */
  expired: number;
  /** Keys dropped while still limiting, to make room under maxKeys. */
  evicted: number;
}

/** Bytes of state per page: the store grows a page at a time, never copying what it holds. */
const PAGE_BYTES = 64 * 1024;
/** Slots examined for expiry each time a new key arrives: the sweep keeps pace with arrivals, no timers. */
const SWEEP_STEP = 2;
/** Slots sampled when a victim must be evicted. */
const EVICTION_SAMPLE = 8;

/**
 * In-process store. Per key: one Map entry (key -> slot), one entry in a slot -> key array, and the algorithm's
 * state in a shared Float64Array page (2 or 3 numbers for most algorithms, limit + 2 for the sliding log), so a
 * key costs a bounded, small number of bytes and deciding allocates only the returned Decision. Pages of 64 KiB
 * are added as keys arrive, so growing never copies state and at most one page is partly empty; a freed slot
 * holds the next free slot's number (the free list costs nothing).
 *
 * Expiry without timers: the algorithms read stale state as fresh (lazy expiry), and each new key advances a
 * sweep over a few slots, freeing keys whose state has gone idle. Eviction: when maxKeys keys are held and a new
 * one arrives, the store samples 8 slots and reuses the one that is idle, or else the one closest to going idle
 * (the soonest full reset: it loses the least, as Redis's volatile-ttl does); `stats.evicted` counts those.
 */
export class MemoryStore implements Limiter {
  readonly algorithm: AlgorithmName;
  readonly policies: readonly Policy[];
  readonly countRefused: boolean;
  readonly maxKeys: number;
  private readonly model: Algorithm;
  private readonly stride: number;
  /** The policy, when there is only one (the common case takes a shorter path). */
  private readonly single?: Policy;
  private readonly clock: Clock;
  private readonly index = new Map<string, number>();
  private readonly keys: (string | undefined)[] = [];
  private readonly pages: Float64Array[] = [];
  private readonly pageBits: number;
  private readonly pageMask: number;
  private freeHead = -1;
  private slotsUsed = 0;
  private sweepCursor = 0;
  private random = 0x9e3779b9;
  private expired = 0;
  private evicted = 0;

  constructor(options: MemoryStoreOptions) {
    this.model = typeof options.algorithm === 'string' ? algorithmByName(options.algorithm) : options.algorithm;
    this.algorithm = this.model.name;
    this.policies = compilePolicies(this.model, options.policies);
    this.stride = stateStride(this.policies);
    this.single = this.policies.length === 1 ? this.policies[0] : undefined;
    this.clock = options.clock ?? Date.now;
    this.countRefused = options.countRefused ?? false;
    this.maxKeys = options.maxKeys ?? 1_000_000;
    if (!Number.isSafeInteger(this.maxKeys) || this.maxKeys < 1) throw new RangeError(`maxKeys must be a whole number of at least 1; got ${options.maxKeys}`);
    // Slots per page: a power of two (so a slot's page is a shift away), at least one.
    // (`| 0` keeps these fields small integers: V8 then reads them without unboxing a double.)
    this.pageBits = Math.max(0, Math.floor(Math.log2(PAGE_BYTES / (this.stride * 8)))) | 0;
    this.pageMask = ((1 << this.pageBits) - 1) | 0;
  }

  consume(key: string, cost = 1): Decision {
    if (cost !== 1) checkCost(cost);
    const now = this.clock();
    let slot = this.index.get(key);
    if (slot === undefined) slot = this.allocate(key, now);
    const page = this.pages[slot >> this.pageBits]!;
    const base = (slot & this.pageMask) * this.stride;
    if (this.single) return decideOne(this.model, this.single, page, base, now, cost, this.countRefused);
    return decide(this.model, this.policies, page, base, now, cost, this.countRefused);
  }

  stats(): MemoryStoreStats {
    return { keys: this.index.size, expired: this.expired, evicted: this.evicted };
  }

  /** Frees every key whose state has gone idle (the incremental sweep does this a few slots at a time). */
  sweep(now = this.clock()): number {
    let freed = 0;
    for (let slot = 0; slot < this.slotsUsed; slot++) if (this.keys[slot] !== undefined && this.idleAt(slot) <= now && this.release(slot, false)) freed++;
    return freed;
  }

  async close(): Promise<void> {}

  private allocate(key: string, now: number): number {
    this.sweepSome(now);
    let slot: number;
    if (this.freeHead >= 0) slot = this.takeFree();
    else if (this.slotsUsed < this.maxKeys) {
      slot = this.slotsUsed++;
      if (slot >> this.pageBits >= this.pages.length) this.pages.push(new Float64Array((this.pageMask + 1) * this.stride));
    } else slot = this.evictOne(now);
    const base = (slot & this.pageMask) * this.stride;
    this.pages[slot >> this.pageBits]!.fill(0, base, base + this.stride);
    this.keys[slot] = key;
    this.index.set(key, slot);
    return slot;
  }

  private sweepSome(now: number): void {
    for (let i = 0; i < SWEEP_STEP && this.slotsUsed > 0; i++) {
      if (this.sweepCursor >= this.slotsUsed) this.sweepCursor = 0;
      const slot = this.sweepCursor++;
      if (this.keys[slot] !== undefined && this.idleAt(slot) <= now) this.release(slot, false);
    }
  }

  private evictOne(now: number): number {
    let victim = -1;
    let victimIdleAt = Infinity;
    for (let i = 0; i < EVICTION_SAMPLE; i++) {
      const slot = this.nextRandom() % this.slotsUsed;
      if (this.keys[slot] === undefined) continue;
      const idleAt = this.idleAt(slot);
      if (idleAt < victimIdleAt) {
        victim = slot;
        victimIdleAt = idleAt;
      }
    }
    if (victim < 0) victim = this.nextRandom() % this.slotsUsed;
    this.release(victim, victimIdleAt > now);
    return this.takeFree();
  }

  /** Frees a slot: it joins the free list, its first number holding the next free slot. */
  private release(slot: number, evicting: boolean): boolean {
    const key = this.keys[slot];
    if (key === undefined) return false;
    this.index.delete(key);
    this.keys[slot] = undefined;
    this.pages[slot >> this.pageBits]![(slot & this.pageMask) * this.stride] = this.freeHead;
    this.freeHead = slot;
    if (evicting) this.evicted++;
    else this.expired++;
    return true;
  }

  private takeFree(): number {
    const slot = this.freeHead;
    this.freeHead = this.pages[slot >> this.pageBits]![(slot & this.pageMask) * this.stride]! | 0;
    return slot;
  }

  private idleAt(slot: number): number {
    let latest = -Infinity;
    const page = this.pages[slot >> this.pageBits]!;
    const base = (slot & this.pageMask) * this.stride;
    for (const p of this.policies) latest = Math.max(latest, this.model.idleAt(page, base + p.offset, p));
    return latest;
  }

  private nextRandom(): number {
    // xorshift32: cheap, deterministic sampling for eviction.
    let x = this.random;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.random = x >>> 0;
    return this.random;
  }
}
