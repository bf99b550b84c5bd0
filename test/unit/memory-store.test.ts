import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/reference/limiters/stores/memory.js';

describe('memory limiter store', () => {
  it('forgets idle keys through the sweep new keys drive, with no timer per key', () => {
    let now = 0;
    const store = new MemoryStore({ algorithm: 'fixed-window', policies: [{ limit: 5, windowMs: 1000 }], clock: () => now });
    for (let i = 0; i < 500; i++) store.consume(`old-${i}`);
    expect(store.stats().keys).toBe(500);
    now = 5000;
    for (let i = 0; i < 300; i++) store.consume(`new-${i}`);
    // Each new key examined two slots: every old key has been found idle and freed, its slot reused.
    expect(store.stats()).toEqual({ keys: 300, expired: 500, evicted: 0 });
    expect(store.consume('old-1').remaining).toBe(4);
  });

  it('sweep() frees every idle key at once', () => {
    let now = 0;
    const store = new MemoryStore({ algorithm: 'gcra', policies: [{ limit: 10, windowMs: 1000 }], clock: () => now });
    store.consume('a');
    store.consume('b', 10);
    now = 150;
    expect(store.sweep()).toBe(1);
    expect(store.stats().keys).toBe(1);
    now = 1000;
    expect(store.sweep()).toBe(1);
    expect(store.stats().keys).toBe(0);
  });

  it('at maxKeys evicts the sampled key closest to idle and counts the eviction', () => {
    let now = 0;
    const store = new MemoryStore({ algorithm: 'token-bucket', policies: [{ limit: 10, windowMs: 1000 }], maxKeys: 4, clock: () => now });
    // Idle after 100, 500, 800 and 1000 ms: 'light' is closest to idle.
    store.consume('light', 1);
    store.consume('mid', 5);
    store.consume('heavy', 8);
    store.consume('full', 10);
    now = 10;
    store.consume('newcomer');
    expect(store.stats()).toEqual({ keys: 4, expired: 0, evicted: 1 });
    expect(store.consume('full').allowed).toBe(false);
    expect(store.consume('heavy', 2).allowed).toBe(true);
    // 'light' was evicted, so it starts over (at the cost of evicting another key in turn).
    expect(store.consume('light').remaining).toBe(9);
  });

  it('grows its state arrays as keys arrive and keeps one slot per key', () => {
    const store = new MemoryStore({ algorithm: 'sliding-log', policies: [{ limit: 3, windowMs: 60_000 }] });
    for (let i = 0; i < 5000; i++) store.consume(`k${i}`);
    expect(store.stats().keys).toBe(5000);
    for (let i = 0; i < 5000; i += 997) expect(store.consume(`k${i}`).remaining).toBe(1);
  });

  it('refuses a bad maxKeys', () => {
    expect(() => new MemoryStore({ algorithm: 'gcra', policies: [{ limit: 1, windowMs: 1 }], maxKeys: 0 })).toThrow(/maxKeys must be a whole number/);
  });
});
