import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Middleware } from '../server/http-types.js';
import { BodyTooLargeError } from '../server/read-body.js';
import { sendProblem } from '../server/respond.js';
import { fieldErrors } from './field-errors.js';
import { jsonNestingDepth } from './nesting.js';
import { rawBodyOf } from './raw-body.js';
import { readOnlyFieldErrors } from './read-only.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export interface ValidationOptions {
  /** Request bodies larger than this are refused with 413 (default 64 KiB). */
  maxBodyBytes?: number;
  /** Arrays and objects nested deeper than this are refused with 400 before parsing (default 32). */
  maxDepth?: number;
}

const JSON_TYPE = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/**
 * Validates the JSON body of every route that declares a `body` schema in its metadata: wrong Content-Type
 * 415, over the size limit 413, too deeply nested or not JSON 400, schema violations 400 with one error per
 * field, fields the schema marks readOnly 400. The parsed body is left in ctx.locals.body for the route.
 */
export function validationPart(options: ValidationOptions): Middleware {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  const validators = new WeakMap<object, ValidateFunction>();
  const limit = options.maxBodyBytes ?? 64 * 1024;
  const maxDepth = options.maxDepth ?? 32;

  return async (ctx, next) => {
    const schema = ctx.route.kind === 'found' ? ctx.route.meta.body : undefined;
    if (!schema) return next();
    const type = ctx.req.headers['content-type'] ?? '';
    if (!JSON_TYPE.test(type.trim())) {
      return sendProblem(ctx.res, 415, 'Unsupported media type', `send application/json (UTF-8), not ${type || 'no Content-Type'}`, {}, { accept: 'application/json' });
    }
    let raw: Buffer;
    try {
      raw = await rawBodyOf(ctx, limit);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return sendProblem(ctx.res, 413, 'Payload too large', `the body must be at most ${limit} bytes`);
      throw error;
    }
    const text = raw.toString('utf8');
    if (jsonNestingDepth(text, maxDepth) > maxDepth) {
      return sendProblem(ctx.res, 400, 'Body nested too deeply', `arrays and objects may nest at most ${maxDepth} levels`);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      // The flaw lets the parser's error escape, as a handler without a try would.
      if (ctx.flaws.has('input-500-on-malformed')) throw error;
      return sendProblem(ctx.res, 400, 'Malformed JSON', 'the request body is not valid JSON');
    }
    let validate = validators.get(schema);
    if (!validate) {
      validate = ajv.compile(schema);
      validators.set(schema, validate);
    }
    if (!validate(body)) {
      return sendProblem(ctx.res, 400, 'Invalid request body', 'one or more fields are invalid', { errors: fieldErrors(validate.errors ?? []) });
    }
    // The mass-assignment flaw: readOnly left as the annotation a JSON Schema validator takes it for.
    const readOnly = ctx.flaws.has('mass-assignment') ? [] : readOnlyFieldErrors(schema, body);
    if (readOnly.length) return sendProblem(ctx.res, 400, 'Invalid request body', 'one or more fields are read-only', { errors: readOnly });
    ctx.locals.body = body;
    await next();
  };
}
