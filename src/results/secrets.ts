import { createHash } from 'node:crypto';

/** Header names whose values are credentials, redacted whatever their value. */
export const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
  'x-auth-token',
]);

const MIN_SECRET_LENGTH = 4;

export function fingerprint(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 8);
}

export function redactedLabel(value: string): string {
  return `[redacted:${fingerprint(value)}]`;
}

/**
 * Every secret value the run knows (API keys, Authorization values, private-key PEMs). Redaction works on
 * values, not only header names, so a key echoed in a body or an error message is caught too.
 */
export class SecretRegistry {
  private readonly values = new Map<string, string>();
  private pattern: RegExp | undefined;

  add(secret: string | undefined): void {
    if (!secret || secret.length < MIN_SECRET_LENGTH) return;
    const label = redactedLabel(secret);
    for (const form of encodings(secret)) {
      if (form.length >= MIN_SECRET_LENGTH && !this.values.has(form)) {
        this.values.set(form, label);
        this.pattern = undefined;
      }
    }
  }

  /** Adds a PEM's whole text and its base64 body, so neither appears in output. */
  addPem(pem: string): void {
    this.add(pem);
    this.add(pem.trim());
    const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    this.add(body);
    for (const line of pem.split(/\r?\n/)) if (line.length >= 16 && !line.startsWith('-----')) this.add(line);
  }

  get size(): number {
    return this.values.size;
  }

  redactString(text: string): string {
    if (this.values.size === 0 || text.length < MIN_SECRET_LENGTH) return text;
    this.pattern ??= new RegExp(
      [...this.values.keys()]
        .sort((a, b) => b.length - a.length)
        .map(escapeRegExp)
        .join('|'),
      'g',
    );
    return text.replace(this.pattern, (match) => this.values.get(match) ?? '[redacted]');
  }

  /** A deep copy with every string redacted, and secret-bearing header values replaced by a fingerprint. */
  redact<T>(value: T): T {
    return this.walk(value, undefined) as T;
  }

  private walk(value: unknown, key: string | undefined): unknown {
    if (typeof value === 'string') {
      if (key !== undefined && SECRET_HEADERS.has(key.toLowerCase()) && !value.startsWith('[redacted:')) {
        return redactedLabel(value);
      }
      return this.redactString(value);
    }
    if (Array.isArray(value)) {
      if (key !== undefined && SECRET_HEADERS.has(key.toLowerCase())) return value.map((v) => redactedLabel(String(v)));
      return value.map((v) => this.walk(v, undefined));
    }
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.walk(v, k);
      return out;
    }
    return value;
  }
}

function encodings(secret: string): string[] {
  return [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
