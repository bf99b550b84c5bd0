import { describe, expect, it } from 'vitest';
import { runLoad } from '../../src/engine/load-runner.js';

describe('runLoad', () => {
  it("rejects with autocannon's own message when autocannon refuses its options at once", async () => {
    const request = { method: 'GET', url: new URL('http://127.0.0.1:9/x'), headers: {}, label: 'x' };
    // autocannon refuses an overall rate below 1 by calling back before it starts anything.
    const run = runLoad({ request, connections: 1, pipelining: 1, durationMs: 200, rate: 0.5, timeoutMs: 500 });
    await expect(run).rejects.toThrow(/rate/i);
    await expect(run).rejects.not.toThrow(/before initialization/);
  });
});
