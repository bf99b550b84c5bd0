import type { SourceLocation } from '../results/model.js';

/**
 * The reason --write-baseline gives every entry it writes. A baseline still holding it is refused: nothing is
 * accepted until someone says why.
 */
export const PLACEHOLDER_REASON = 'accepted: say why';

/** One accepted finding, as loaded from a baseline file. */
export interface BaselineEntry {
  /** A check id (all of its cases) or a case id (that case only). */
  id: string;
  /** The base URL it holds for; undefined for any target. */
  target?: string;
  reason: string;
  /** YYYY-MM-DD, the last day it holds. */
  expires?: string;
  allowCritical: boolean;
  /** Where its `id` is written: reports point at it. */
  at: SourceLocation;
}
