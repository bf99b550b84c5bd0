import { describe, expect, it } from 'vitest';
import type { FromWorker, PlanMessage, ToWorker } from '../../src/distributed/protocol.js';
import { PROTOCOL_VERSION } from '../../src/distributed/protocol.js';
import type { WorkerTransport } from '../../src/distributed/transport.js';
import { runWorker } from '../../src/distributed/worker.js';

/** A coordinator that only publishes a plan, and records what the worker says. */
function fakeTransport(plan: PlanMessage): WorkerTransport & { said: FromWorker[] } {
  const said: FromWorker[] = [];
  return {
    said,
    clock: { now: () => Date.now() },
    plan: async () => plan,
    send: async (message) => void said.push(message),
    next: async (): Promise<ToWorker | undefined> => ({ type: 'bye', run: plan.run }),
    coordinatorAlive: async () => true,
    close: async () => {},
  };
}

const plan = (baseUrl: string, overrides: Partial<PlanMessage> = {}): PlanMessage => ({
  type: 'plan',
  protocol: PROTOCOL_VERSION,
  run: 'run-1',
  workers: 2,
  salt: 'salt',
  fingerprints: {},
  profile: { baseUrl, replicas: [], tls: { insecure: false, identities: {} }, keys: {}, defaults: {}, headers: {}, vars: {}, timeouts: { requestMs: 1000, connectMs: 1000 } },
  ...overrides,
});

const options = (allowLoad: boolean, segment?: string) => ({ allowLoad, segment, baseDir: '.', env: {}, joinTimeoutMs: 1000, signal: new AbortController().signal, say: () => {} });

describe('a worker keeps its own bounds, whatever the plan says', () => {
  it('refuses a plan aimed outside loopback unless it was itself started with --allow-load', async () => {
    const refused = fakeTransport(plan('http://192.0.2.10:8080'));
    expect(await runWorker(refused, options(false))).toBe(2);
    expect(refused.said.map((m) => m.type)).toEqual(['hello', 'refused']);
    expect(refused.said[1]).toMatchObject({ code: 'E_LOAD_NOT_ALLOWED', message: expect.stringContaining('load from this worker (it was started without --allow-load) to http://192.0.2.10:8080') });

    const allowed = fakeTransport(plan('http://192.0.2.10:8080'));
    expect(await runWorker(allowed, options(true))).toBe(0);
    expect(allowed.said.map((m) => m.type)).toEqual(['hello', 'ready']);
  });

  it('refuses a plan of another protocol version, or for another number of workers than its segment says', async () => {
    const old = fakeTransport(plan('http://127.0.0.1:8080', { protocol: PROTOCOL_VERSION + 1 }));
    expect(await runWorker(old, options(false))).toBe(2);
    expect(old.said[1]).toMatchObject({ type: 'refused', code: 'E_PROTOCOL' });
    const other = fakeTransport(plan('http://127.0.0.1:8080'));
    expect(await runWorker(other, options(false, '2/3'))).toBe(2);
    expect(other.said[1]).toMatchObject({ type: 'refused', code: 'E_SEGMENT', message: 'this worker was started for segment 2/3, and the run has 2 workers' });
  });
});
