import { describe, expect, it } from 'vitest';
import type { Exchange, TransportEvidence } from '../../src/results/model.js';
import { isUnreachableResult, unreachableReason } from '../../src/results/unreachable.js';
import { ReachabilityWatch } from '../../src/runner/reachability.js';

const TARGET = 'http://127.0.0.1:4000';
const exchange = (transport?: TransportEvidence): Exchange => ({
  request: { method: 'GET', url: `${TARGET}/x`, headers: {} },
  ...(transport ? { transport } : { response: { status: 200, statusText: 'OK', headers: {}, body: '', bodyBytes: 0, bodyTruncated: false } }),
  timings: { startedAt: new Date(0).toISOString(), totalMs: 1 },
});
const refused: TransportEvidence = { class: 'refused', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:4000' };
const dns: TransportEvidence = { class: 'dns', code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND api.example.invalid' };

function watch() {
  const told: TransportEvidence[] = [];
  return { watch: new ReachabilityWatch(TARGET, (t) => told.push(t)), told };
}

describe('the reachability watch', () => {
  it.each([
    ['refused', refused],
    ['dns', dns],
  ])('declares the target unreachable at the first %s failure, once', (_name, failure) => {
    const { watch: w, told } = watch();
    w.observe(new URL(`${TARGET}/a`), exchange(failure));
    w.observe(new URL(`${TARGET}/b`), exchange(failure));
    expect(told).toEqual([failure]);
    expect(w.unreachable).toEqual(failure);
  });

  it('never does once the target answered: a target that goes down later fails its checks on its own', () => {
    const { watch: w, told } = watch();
    w.observe(new URL(`${TARGET}/a`), exchange());
    w.observe(new URL(`${TARGET}/b`), exchange(refused));
    expect(told).toEqual([]);
    expect(w.unreachable).toBeUndefined();
  });

  it('counts a TLS or reset failure as something listening, and ignores timeouts and requests gauntlet stopped', () => {
    const tls = watch();
    tls.watch.observe(new URL(TARGET), exchange({ class: 'tls-rejected', code: 'ECONNRESET', message: 'socket hang up' }));
    tls.watch.observe(new URL(TARGET), exchange(refused));
    expect(tls.told).toEqual([]);

    const quiet = watch();
    quiet.watch.observe(new URL(TARGET), exchange({ class: 'timeout', code: 'UND_ERR_CONNECT_TIMEOUT', message: 'connect timeout' }));
    quiet.watch.observe(new URL(TARGET), exchange({ class: 'protocol-error', code: 'GAUNTLET_ABORTED', message: 'aborted' }));
    quiet.watch.observe(new URL(TARGET), exchange({ class: 'timeout', code: 'GAUNTLET_NOT_SENT', message: 'over budget' }));
    quiet.watch.observe(new URL(TARGET), exchange(refused));
    expect(quiet.told).toEqual([refused]);
  });

  it("watches the target's origin only: a replica or another host that refuses is that check's business", () => {
    const { watch: w, told } = watch();
    w.observe(new URL('http://127.0.0.1:4001/x'), exchange(refused));
    expect(told).toEqual([]);
  });
});

describe('the unreachable reason', () => {
  it('names the failure and is recognised on an errored result with its transport class', () => {
    const reason = unreachableReason(refused);
    expect(reason).toBe(
      'not run: the target could not be reached (refused: connect ECONNREFUSED 127.0.0.1:4000); gauntlet stopped at the first refused connection instead of trying every check',
    );
    expect(unreachableReason(dns)).toContain('stopped at the first failed name lookup');
    const result = { status: 'errored', transport: 'refused', message: reason } as never;
    expect(isUnreachableResult(result)).toBe(true);
    expect(isUnreachableResult({ status: 'errored', message: reason } as never)).toBe(false);
    expect(isUnreachableResult({ status: 'errored', transport: 'refused', message: 'refused: connect ECONNREFUSED' } as never)).toBe(false);
  });
});
