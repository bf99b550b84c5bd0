import { describe, expect, it } from 'vitest';
import { Pacer } from '../../src/engine/pacer.js';
import { parsePace } from '../../src/scenario/load-profile.js';

describe('parsePace', () => {
  it('takes requests per second, or a count per duration', () => {
    expect(parsePace(5)).toEqual({ perSecond: 5 });
    expect(parsePace(0.5)).toEqual({ perSecond: 0.5 });
    expect(parsePace('2')).toEqual({ perSecond: 2 });
    expect(parsePace('2/s')).toEqual({ perSecond: 2 });
    expect(parsePace('30/min')).toEqual({ perSecond: 0.5 });
    expect(parsePace('30 / minute')).toEqual({ perSecond: 0.5 });
    expect(parsePace('100/15m')).toEqual({ perSecond: 100 / 900 });
    expect(parsePace('5/500ms')).toEqual({ perSecond: 10 });
    expect(parsePace('1/h')).toEqual({ perSecond: 1 / 3600 });
  });

  it('says what is wrong with a value that is not a usable rate', () => {
    const shape = 'give requests per second above 0 (5, 0.5) or a count per duration (30/min, 100/15m)';
    expect(parsePace(0)).toEqual({ problem: `a pace of 0 would never send a request: ${shape}` });
    expect(parsePace(-2)).toEqual({ problem: `a pace of -2 would never send a request: ${shape}` });
    expect(parsePace('0/s')).toEqual({ problem: `a pace of "0/s" would never send a request: ${shape}` });
    expect(parsePace('fast')).toEqual({ problem: `pace 'fast' is not a rate: ${shape}` });
    expect(parsePace('5/fortnight')).toEqual({ problem: `pace '5/fortnight' is not a rate: ${shape}` });
    expect(parsePace('5/0s')).toEqual({ problem: `pace '5/0s' is not a rate: ${shape}` });
    expect(parsePace('1/2h')).toEqual({ problem: 'a pace of "1/2h" is slower than one request an hour: give a faster one' });
  });
});

describe('Pacer', () => {
  it('gives each request the next free slot, first come first served, whoever asks', () => {
    let now = 1000;
    const pacer = new Pacer(4, () => now);
    expect([pacer.reserve(), pacer.reserve(), pacer.reserve()]).toEqual([0, 250, 500]);
    now = 2000;
    // The slots taken are behind us: the next request goes at once, and the one after it 250 ms later.
    expect([pacer.reserve(), pacer.reserve()]).toEqual([0, 250]);
  });

  it('never waits without a pace', () => {
    const pacer = new Pacer(undefined);
    expect([pacer.reserve(), pacer.reserve()]).toEqual([0, 0]);
  });
});
