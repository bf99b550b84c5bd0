import { BodyTooLargeError, readBody } from './read-body.js';
import type { RequestContext } from './http-types.js';
import { sendProblem } from './respond.js';

const MAX_JSON_BODY = 64 * 1024;

/**
 * The body as the validation part parsed and checked it. Without that part (its options section absent) the
 * server is deliberately unprotected: the body is parsed as it comes (anything but an object reads as `{}`), and
 * only unparseable JSON (400) or an oversized body (413) is refused. Sends that answer and returns undefined.
 */
export async function jsonBodyOf(ctx: RequestContext): Promise<Record<string, unknown> | undefined> {
  if (ctx.locals.body !== undefined) return ctx.locals.body as Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse((await readBody(ctx.req, MAX_JSON_BODY)).toString('utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch (error) {
    if (error instanceof BodyTooLargeError) sendProblem(ctx.res, 413, 'Payload too large', error.message);
    else sendProblem(ctx.res, 400, 'Malformed JSON', 'the request body is not valid JSON');
    return undefined;
  }
}
