import type { RequestSpec } from '../../engine/http-client.js';
import type { Exchange } from '../../results/model.js';
import type { CheckContext } from '../types.js';
import type { Caller } from './caller.js';
import { forObject } from './object-request.js';

/** One request of an object check, as sent and answered. */
export interface Answer {
  exchange: Exchange;
  /** The HTTP status; undefined when no answer came (see exchange.transport). */
  status?: number;
  body: Buffer;
}

/** Sends `request` as `caller` about the object `id` (filling `{id}`), labelled for the evidence. */
export async function sendAs(ctx: CheckContext, caller: Caller, request: RequestSpec, label: string, id?: string | number): Promise<Answer> {
  const { key, identity } = caller;
  const spec: RequestSpec = { ...forObject(request, id), label, ...(key === undefined ? {} : { key }), ...(identity === undefined ? {} : { identity }) };
  const { exchange, body } = await ctx.http.send(spec);
  return { exchange, status: exchange.response?.status, body };
}

export const is2xx = (status: number | undefined): boolean => status !== undefined && status >= 200 && status < 300;

/** The answer's body as JSON; undefined when it is not JSON (or was cut at the body cap). */
export function jsonOf(answer: Answer): unknown {
  if (answer.exchange.response?.bodyCapped) return undefined;
  try {
    return JSON.parse(answer.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** `answered 404`, or what happened instead of an answer. */
export function outcomeOf(answer: Answer): string {
  const t = answer.exchange.transport;
  return t ? `got no answer (${t.class}: ${t.message})` : `was answered ${answer.status}`;
}

/** Whether a value is a plain JSON object. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
