import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { ROOT } from './cli.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

let compiled: ValidateFunction | undefined;

/** The official SARIF 2.1.0 schema (vendored in schemas/), compiled once. */
export function sarifSchema(): ValidateFunction {
  if (compiled) return compiled;
  // The official schema is draft-04 and has one pattern that only compiles without the u flag.
  const ajv = new (AjvDraft04 as unknown as typeof Ajv)({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  compiled = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/sarif-2.1.0.json'), 'utf8')));
  return compiled;
}
