import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { exitCodeFor, exitOnStopSignals, onStopSignals, STOP_SIGNALS, type StopSignal } from '../../src/util/stop-signals.js';

/** Delivers a signal to this process's listeners as Node does (the listener gets the signal's name), without a real one. */
const deliver = (signal: StopSignal) => process.emit(signal, signal);

describe('stop signals', () => {
  let exit: MockInstance<typeof process.exit>;
  const listenersBefore = new Map(STOP_SIGNALS.map((s) => [s, process.listenerCount(s)]));
  beforeEach(() => {
    exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
  });
  afterEach(() => {
    exit.mockRestore();
    for (const signal of STOP_SIGNALS) expect(process.listenerCount(signal), `${signal} listeners left behind`).toBe(listenersBefore.get(signal));
  });

  it('exits 128 + the signal number: 130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP', () => {
    expect(STOP_SIGNALS.map(exitCodeFor)).toEqual([130, 143, 129]);
  });

  it.each(STOP_SIGNALS)('a run stops gracefully on the first %s and exits at once on any second signal', (first) => {
    const stops: StopSignal[] = [];
    const remove = onStopSignals((signal) => stops.push(signal));
    try {
      deliver(first);
      expect(stops).toEqual([first]);
      expect(exit).not.toHaveBeenCalled();
      const second = first === 'SIGTERM' ? 'SIGHUP' : 'SIGTERM';
      deliver(second);
      expect(exit).toHaveBeenCalledExactlyOnceWith(exitCodeFor(second));
      expect(stops, 'a second signal does not start another graceful stop').toEqual([first]);
    } finally {
      remove();
    }
  });

  it('outside a run, a stop signal exits at once; during one, it is left to the run', () => {
    const notices: StopSignal[] = [];
    const removeOuter = exitOnStopSignals((signal) => notices.push(signal));
    try {
      const stops: StopSignal[] = [];
      const removeRun = onStopSignals((signal) => stops.push(signal));
      deliver('SIGTERM');
      expect(stops).toEqual(['SIGTERM']);
      expect(notices).toEqual([]);
      expect(exit).not.toHaveBeenCalled();
      removeRun();
      deliver('SIGHUP');
      expect(notices).toEqual(['SIGHUP']);
      expect(exit).toHaveBeenCalledExactlyOnceWith(129);
    } finally {
      removeOuter();
    }
  });
});
