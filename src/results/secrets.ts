import { createHash } from 'node:crypto';
import { plainForms, secretEncodings } from './secret-encodings.js';

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
/**
 * Forms longer than this are found by plain search, not in the one regular expression: V8 refuses to compile one
 * with a literal of some 40 000 characters ("Regular expression too large"), and the hex form of a 20 000-character
 * key a target issued is twice that.
 */
const MAX_PATTERN_FORM = 4096;
/**
 * Forms added after the expression was built are searched for plainly, up to this many, before it is built again:
 * a signing check adds each request's signature, and compiling the expression of every PEM form anew for each
 * would cost milliseconds a request.
 */
const MAX_PENDING_FORMS = 256;
/** A secret's beginning this long, left at a cut, is masked: shorter says nothing (a key's public prefix). */
const MIN_CUT_FRAGMENT = 6;
/** The mark every cut in gauntlet's output carries (clip() and body previews), wherever it is in a message. */
const CUT_MARK = '…';
/**
 * How deep redaction walks a result. Results nest a few levels and target JSON is kept at most MAX_JSON_DEPTH deep,
 * so nothing real reaches this; it keeps a deeper value (a bug) from overflowing the stack, and from reaching a
 * report unredacted.
 */
export const MAX_REDACT_DEPTH = 128;
export const TOO_DEEP = '[left out: nested too deep to redact]';

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
  /** The forms found by plain search (longest first), and the one expression for the rest; built when needed. */
  private matcher: { long: string[]; pattern?: RegExp } | undefined;
  /** Forms added since the matcher was built, searched for after it, longest first. */
  private pending: string[] = [];

  add(secret: string | undefined): void {
    this.addForms(secret, secretEncodings);
  }

  private addForms(secret: string | undefined, formsOf: (secret: string) => string[]): void {
    if (!secret || secret.length < MIN_SECRET_LENGTH) return;
    const label = redactedLabel(secret);
    for (const form of formsOf(secret)) {
      if (form.length >= MIN_SECRET_LENGTH && !this.values.has(form)) {
        this.values.set(form, label);
        this.addToMatcher(form);
      }
    }
  }

  /**
   * Adds a PEM's whole text (in every encoding) and its base64 body and lines (as they are: they are base64
   * already, and a dozen encodings of each of some 30 lines would slow every redaction tenfold).
   */
  addPem(pem: string): void {
    this.add(pem);
    this.add(pem.trim());
    const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    this.addForms(body, plainForms);
    for (const line of pem.split(/\r?\n/)) if (line.length >= 16 && !line.startsWith('-----')) this.addForms(line, plainForms);
  }

  /**
   * A new form is searched for after the matcher's forms, which is right unless it contains one of them (that one
   * would be replaced first and cut the new form apart): then, or once too many are waiting, the matcher is rebuilt.
   */
  private addToMatcher(form: string): void {
    const matcher = this.matcher;
    const containsKnown = (): boolean => {
      if (matcher!.long.some((known) => form.includes(known))) return true;
      if (!matcher!.pattern) return false;
      matcher!.pattern.lastIndex = 0;
      return matcher!.pattern.test(form);
    };
    if (matcher && this.pending.length < MAX_PENDING_FORMS && !containsKnown()) {
      this.pending = [...this.pending, form].sort((a, b) => b.length - a.length);
      return;
    }
    this.matcher = undefined;
    this.pending = [];
  }

  get size(): number {
    return this.values.size;
  }

  redactString(text: string): string {
    if (this.values.size === 0 || text.length < MIN_SECRET_LENGTH) return text;
    const out = this.replaceForms(text);
    if (!out.includes(CUT_MARK)) return out;
    return out
      .split(CUT_MARK)
      .map((part, i, parts) => (i < parts.length - 1 ? this.maskCutTail(part) : part))
      .join(CUT_MARK);
  }

  /** Every form replaced by its label: long ones by plain search, the rest with one expression. */
  private replaceForms(text: string): string {
    const forms = () => [...this.values.keys()].sort((a, b) => b.length - a.length);
    if (!this.matcher) {
      const short = forms().filter((form) => form.length <= MAX_PATTERN_FORM);
      this.matcher = { long: forms().filter((form) => form.length > MAX_PATTERN_FORM), pattern: short.length ? new RegExp(short.map(escapeRegExp).join('|'), 'g') : undefined };
      this.pending = [];
    }
    let out = text;
    for (const form of this.matcher.long) out = this.replacePlainly(out, form);
    if (this.matcher.pattern) {
      try {
        out = out.replace(this.matcher.pattern, (match) => this.values.get(match) ?? '[redacted]');
      } catch (error) {
        // V8 compiles an expression when it first runs, and only then may refuse it as too large: search for each.
        if (!(error instanceof SyntaxError)) throw error;
        this.matcher = { long: forms() };
        this.pending = [];
        return this.replaceForms(text);
      }
    }
    for (const form of this.pending) out = this.replacePlainly(out, form);
    return out;
  }

  private replacePlainly(text: string, form: string): string {
    return text.includes(form) ? text.split(form).join(this.values.get(form)!) : text;
  }

  /**
   * Text cut short may end with the first part of a secret, which no longer matches it whole: that part is masked.
   * Used before every cut mark, and at the end of response bodies kept only in part.
   */
  maskCutTail(text: string): string {
    for (const [form, label] of this.values) {
      for (let k = Math.min(form.length - 1, text.length); k >= MIN_CUT_FRAGMENT; k--) {
        if (text.endsWith(form.slice(0, k))) return `${text.slice(0, -k)}${label.slice(0, -1)}…]`;
      }
    }
    return text;
  }

  /** A deep copy with every string redacted, and secret-bearing header values replaced by a fingerprint. */
  redact<T>(value: T): T {
    return this.walk(value, undefined, 0) as T;
  }

  private walk(value: unknown, key: string | undefined, depth: number): unknown {
    if (depth > MAX_REDACT_DEPTH && value !== null && typeof value === 'object') return TOO_DEEP;
    if (typeof value === 'string') {
      if (key !== undefined && SECRET_HEADERS.has(key.toLowerCase()) && !value.startsWith('[redacted:')) {
        return redactedLabel(value);
      }
      return this.redactString(value);
    }
    if (Array.isArray(value)) {
      if (key !== undefined && SECRET_HEADERS.has(key.toLowerCase())) return value.map((v) => redactedLabel(String(v)));
      return value.map((v) => this.walk(v, undefined, depth + 1));
    }
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      // A target chooses header names too (and JSON keys in what it sends back): they are redacted like values.
      for (const [k, v] of Object.entries(value)) out[this.redactString(k)] = this.walk(v, k, depth + 1);
      const partBody = (value as { bodyTruncated?: unknown }).bodyTruncated === true;
      if (partBody && typeof out.body === 'string') out.body = this.maskCutTail(out.body);
      return out;
    }
    return value;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
