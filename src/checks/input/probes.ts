/** The bodies the input kind sends, derived from one valid body. */

export interface BodyProbe {
  text: string;
  contentType: string;
}

const JSON_TYPE = 'application/json';

export function validProbe(valid: unknown): BodyProbe {
  return { text: JSON.stringify(valid), contentType: JSON_TYPE };
}

/** The valid body with a syntax error before its end. */
export function malformedProbe(valid: unknown): BodyProbe {
  const text = JSON.stringify(valid);
  return { text: /\}$/.test(text) ? `${text.slice(0, -1)},,}` : `{"unterminated": ${text}`, contentType: JSON_TYPE };
}

/** The valid body followed by whitespace: still the same JSON, only too big, so nothing but the size is wrong. */
export function oversizedProbe(valid: unknown, limit: number): BodyProbe {
  const text = JSON.stringify(valid);
  return { text: text + ' '.repeat(Math.max(0, limit + 1024 - Buffer.byteLength(text))), contentType: JSON_TYPE };
}

export function wrongContentTypeProbe(valid: unknown): BodyProbe {
  return { text: JSON.stringify(valid), contentType: 'text/plain; charset=utf-8' };
}

export function deepNestingProbe(depth: number): BodyProbe {
  return { text: '['.repeat(depth) + ']'.repeat(depth), contentType: JSON_TYPE };
}

export const UNEXPECTED_FIELDS = { isAdmin: true, role: 'admin' };

/** The valid body plus privilege fields (mass assignment) and a __proto__ key (prototype pollution). */
export function unexpectedFieldsProbe(valid: Record<string, unknown>): BodyProbe {
  const text = JSON.stringify({ ...valid, ...UNEXPECTED_FIELDS });
  return { text: `${text.slice(0, -1)},"__proto__":{"polluted":true}}`, contentType: JSON_TYPE };
}

/** Every top-level field of the valid body given a value of the wrong type. */
export function invalidFieldsProbe(valid: Record<string, unknown>): BodyProbe {
  const wrong = Object.fromEntries(
    Object.entries(valid).map(([name, value]) => [name, typeof value === 'string' ? 12345 : typeof value === 'number' ? 'not-a-number' : 'not-a-' + (Array.isArray(value) ? 'list' : typeof value)]),
  );
  return { text: JSON.stringify(wrong), contentType: JSON_TYPE };
}
