import { GauntletError } from '../util/errors.js';

/**
 * One of N equal parts of a load: segment i of N holds the interval ((i-1)/N, i/N] of its rate, connections and
 * request count, as k6's execution segments do. 1-based, like --shard.
 */
export interface Segment {
  index: number;
  count: number;
}

export function parseSegment(text: string, option = '--segment'): Segment {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) throw new GauntletError('E_USAGE', `${option} expects i/N with 1 <= i <= N, e.g. 2/3; got '${text}'`);
  return { index, count };
}

export const formatSegment = (segment: Segment) => `${segment.index}/${segment.count}`;

/**
 * The segment's whole share of an integer quantity: floor(total * i/N) - floor(total * (i-1)/N). The shares of
 * the N segments sum to exactly the total, and differ by at most one.
 */
export function segmentShare(total: number, segment: Segment): number {
  return Math.floor((total * segment.index) / segment.count) - Math.floor((total * (segment.index - 1)) / segment.count);
}

/** The parts of a load that split across segments; the duration and pipelining are every segment's. */
export interface SplitLoad {
  connections: number;
  amount?: number;
  rate?: number;
}

/** The segment's part of a load, or why the load cannot be split into that many parts (each needs one of each). */
export function splitLoad(load: SplitLoad, segment: Segment): SplitLoad {
  const tooSmall = (['connections', 'amount', 'rate'] as const).filter((k) => load[k] !== undefined && load[k]! < segment.count);
  if (tooSmall.length) {
    const what = tooSmall.map((k) => `${k} ${load[k]}`).join(', ');
    throw new GauntletError('E_SEGMENT', `${what} cannot be split into ${segment.count} segments: each segment needs at least 1 of each; raise ${tooSmall.join(' and ')} to ${segment.count} or more, or use fewer segments`);
  }
  return {
    connections: segmentShare(load.connections, segment),
    amount: load.amount === undefined ? undefined : segmentShare(load.amount, segment),
    rate: load.rate === undefined ? undefined : segmentShare(load.rate, segment),
  };
}
