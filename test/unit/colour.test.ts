import { describe, expect, it } from 'vitest';
import { wantsColour, wantsLiveProgress } from '../../src/report/colour.js';

describe('console colour, by the FORCE_COLOR and NO_COLOR conventions', () => {
  it.each([
    [{}, true, true, 'a terminal'],
    [{}, false, false, 'a pipe'],
    [{ TERM: 'dumb' }, true, false, 'a dumb terminal'],
    [{ NO_COLOR: '1' }, true, false, 'NO_COLOR on a terminal'],
    [{ NO_COLOR: '' }, true, true, 'an empty NO_COLOR (unset, by no-color.org)'],
    [{ FORCE_COLOR: '1' }, false, true, 'FORCE_COLOR=1 in a pipe (a CI log)'],
    [{ FORCE_COLOR: '' }, false, true, 'an empty FORCE_COLOR'],
    [{ FORCE_COLOR: '3' }, false, true, 'FORCE_COLOR=3'],
    [{ FORCE_COLOR: 'true' }, false, true, 'FORCE_COLOR=true'],
    [{ FORCE_COLOR: '1', NO_COLOR: '1' }, false, true, 'FORCE_COLOR wins over NO_COLOR, as in Node'],
    [{ FORCE_COLOR: '0' }, true, false, 'FORCE_COLOR=0 on a terminal'],
    [{ FORCE_COLOR: 'false' }, true, false, 'FORCE_COLOR=false on a terminal'],
  ] as [NodeJS.ProcessEnv, boolean, boolean, string][])('%j, tty %s -> colour %s (%s)', (env, isTTY, expected) => {
    expect(wantsColour(env, isTTY)).toBe(expected);
  });

  it('draws the live progress line only on a terminal, never into a CI log that forced colour', () => {
    expect(wantsLiveProgress({}, true)).toBe(true);
    expect(wantsLiveProgress({ FORCE_COLOR: '1' }, false)).toBe(false);
    expect(wantsLiveProgress({ NO_COLOR: '1' }, true)).toBe(false);
    expect(wantsLiveProgress({ TERM: 'dumb', FORCE_COLOR: '1' }, true)).toBe(false);
  });
});
