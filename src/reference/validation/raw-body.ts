import type { RequestContext } from '../server/http-types.js';
import { readBody } from '../server/read-body.js';

const RAW_BODY = 'rawBody';

/**
 * The request body, read once up to `limit` bytes and shared by the parts that need the bytes (signing hashes
 * them, validation parses them). Throws BodyTooLargeError past the limit.
 */
export async function rawBodyOf(ctx: RequestContext, limit: number): Promise<Buffer> {
  const cached = ctx.locals[RAW_BODY];
  if (cached instanceof Buffer) return cached;
  const body = await readBody(ctx.req, limit);
  ctx.locals[RAW_BODY] = body;
  return body;
}
