import type { RequestContext } from './http-types.js';

/** Who owns what a caller creates when the server has no API keys: everyone is this one owner. */
export const ANONYMOUS_OWNER = 'anonymous';

/** The owner of the calling API key (the key part leaves it in ctx.locals.apiKey), or the anonymous owner. */
export function ownerOf(ctx: RequestContext): string {
  return (ctx.locals.apiKey as { owner?: string } | undefined)?.owner ?? ANONYMOUS_OWNER;
}
