import type { ErrorObject } from 'ajv';

export interface FieldError {
  /** JSON Pointer to the field (`/email`); for a missing or unexpected field, the pointer it would have. */
  field: string;
  message: string;
}

function pointer(base: string, name: string): string {
  return `${base}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** ajv's errors as one entry per field, in words a client developer can act on. */
export function fieldErrors(errors: ErrorObject[]): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    if (error.keyword === 'required') {
      out.push({ field: pointer(error.instancePath, String(error.params.missingProperty)), message: 'is required' });
    } else if (error.keyword === 'additionalProperties') {
      out.push({ field: pointer(error.instancePath, String(error.params.additionalProperty)), message: 'is not an allowed field' });
    } else {
      out.push({ field: error.instancePath || '/', message: error.message ?? 'is invalid' });
    }
  }
  return out;
}
