/**
 * Whether console output gets ANSI colour, by the conventions CI systems and terminals share: FORCE_COLOR (set, and
 * not 0 or false) turns it on even in a pipe, which is how CI logs that render colour ask for it, and wins over
 * NO_COLOR as in Node itself; FORCE_COLOR=0 or false turns it off; a non-empty NO_COLOR turns it off; otherwise
 * colour on a terminal that is not TERM=dumb.
 */
export function wantsColour(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !['0', 'false'].includes(force.trim().toLowerCase());
  if (env.NO_COLOR) return false;
  return isTTY && env.TERM !== 'dumb';
}

/**
 * The live progress line redraws itself with carriage returns: only on a real terminal. A CI log that asked for
 * colour with FORCE_COLOR would show every redraw as a line of its own.
 */
export function wantsLiveProgress(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  return isTTY && env.TERM !== 'dumb' && wantsColour(env, isTTY);
}
