import { decide } from '../algorithms/decide.js';
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

const INITIAL_SLOTS = 1024;
/** Slots examined for expiry each time a new key arrives: the sweep keeps pace with arrivals, no timers. */
const SWEEP_STEP = 2;
/** Slots sampled when a victim must be evicted. */
const EVICTION_SAMPLE = 8;

/**
 * In-process store. Per key: one Map entry (key -> slot), and the algorithm's state in one shared Float64Array
 * (2 to 3 numbers for most algorithms; limit + 2 for the sliding log), so a key costs a bounded, small number of
 * bytes and deciding allocates only the returned Decision.
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
  private readonly clock: Clock;
  private readonly index = new Map<string, number>();
  private keys: (string | undefined)[] = [];
  private state: Float64Array;
  private freeSlots: Int32Array;
  private freeCount = 0;
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
    this.clock = options.clock ?? Date.now;
    this.countRefused = options.countRefused ?? false;
    this.maxKeys = options.maxKeys ?? 1_000_000;
    if (!Number.isSafeInteger(this.maxKeys) || this.maxKeys < 1) throw new RangeError(`maxKeys must be a whole number of at least 1; got ${options.maxKeys}`);
    const slots = Math.min(INITIAL_SLOTS, this.maxKeys);
    this.state = new Float64Array(slots * this.stride);
    this.freeSlots = new Int32Array(slots);
  }

  consume(key: string, cost = 1): Decision {
    if (cost !== 1) checkCost(cost);
    const now = this.clock();
    let slot = this.index.get(key);
    if (slot === undefined) slot = this.allocate(key, now);
    return decide(this.model, this.policies, this.state, slot * this.stride, now, cost, this.countRefused);
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
    if (this.freeCount > 0) slot = this.freeSlots[--this.freeCount]!;
    else if (this.slotsUsed < this.state.length / this.stride) slot = this.slotsUsed++;
    else if (this.slotsUsed < this.maxKeys) {
      this.grow();
      slot = this.slotsUsed++;
    } else slot = this.evictOne(now);
    this.state.fill(0, slot * this.stride, (slot + 1) * this.stride);
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
    return this.freeSlots[--this.freeCount]!;
  }

  private release(slot: number, evicting: boolean): boolean {
    const key = this.keys[slot];
    if (key === undefined) return false;
    this.index.delete(key);
    this.keys[slot] = undefined;
    this.freeSlots[this.freeCount++] = slot;
    if (evicting) this.evicted++;
    else this.expired++;
    return true;
  }

  private idleAt(slot: number): number {
    let latest = -Infinity;
    const base = slot * this.stride;
    for (const p of this.policies) latest = Math.max(latest, this.model.idleAt(this.state, base + p.offset, p));
    return latest;
  }

  private grow(): void {
    const slots = Math.min(this.maxKeys, (this.state.length / this.stride) * 2);
    const state = new Float64Array(slots * this.stride);
    state.set(this.state);
    this.state = state;
    const freeSlots = new Int32Array(slots);
    freeSlots.set(this.freeSlots.subarray(0, this.freeCount));
    this.freeSlots = freeSlots;
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
