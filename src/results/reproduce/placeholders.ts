import { redactedLabel } from '../secrets.js';
import type { Segment } from './shell-word.js';

/** A redaction mark as the results hold it: `[redacted:1a2b3c4d]`, cut short `[redacted:1a2b…]`, or `[redacted]`. */
const MARK = /\[redacted(?::([0-9a-f]{1,8})…?)?\]/g;

export interface KnownSecret {
  variable: string;
  meaning: string;
  /** How the value is written in a shell word: the variable, or a form of it (`Bearer $VAR`). */
  segments: Segment[];
}

/** An environment variable name from a profile's name for something: `read-only` -> `READ_ONLY`. */
export function variablePart(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'UNNAMED';
}

/**
 * The profile's keys by the label redaction gives them, in each form a request carries them: as is (a header, the
 * query, a cookie), after `Bearer `, and as `Basic` base64. The labels are fingerprints of the values; only the
 * key's name and a variable leave this map, never the value or the fingerprint.
 */
export function profileKeySecrets(keys: ReadonlyMap<string, string>): Map<string, KnownSecret> {
  const known = new Map<string, KnownSecret>();
  for (const [name, value] of keys) {
    const variable = `GAUNTLET_KEY_${variablePart(name)}`;
    const meaning = `the profile's API key '${name}'`;
    const ref = `\${${variable}}`;
    const forms: [string, Segment[]][] = [
      [value, [{ shell: ref }]],
      [`Bearer ${value}`, [{ text: 'Bearer ' }, { shell: ref }]],
      [`Basic ${Buffer.from(value, 'utf8').toString('base64')}`, [{ text: 'Basic ' }, { shell: `$(printf %s "${ref}" | base64)` }]],
    ];
    for (const [form, segments] of forms) {
      const label = redactedLabel(form);
      if (!known.has(label)) known.set(label, { variable, meaning, segments });
    }
  }
  return known;
}

/**
 * Gives every redaction mark of a reproduction a placeholder: a known secret its variable, any other secret a
 * variable of its own (named after the header it filled, or numbered), the same mark the same variable throughout.
 */
export class Placeholders {
  private readonly byMark = new Map<string, KnownSecret>();
  private numbered = 0;

  constructor(private readonly known: ReadonlyMap<string, KnownSecret>) {}

  /** The variables used so far, each once, with what to set it to. */
  variables(): { name: string; meaning: string }[] {
    const seen = new Map<string, string>();
    for (const secret of this.byMark.values()) if (!seen.has(secret.variable)) seen.set(secret.variable, secret.meaning);
    return [...seen].map(([name, meaning]) => ({ name, meaning }));
  }

  /** A variable that stands for something no request holds (a client certificate file), recorded like the others. */
  named(variable: string, meaning: string): Segment[] {
    const secret = { variable, meaning, segments: [{ shell: `\${${variable}}` }] };
    this.byMark.set(`named:${variable}`, secret);
    return secret.segments;
  }

  /** The segments of a redacted text: its marks replaced by placeholders. `header` names the header it is the value of. */
  segments(text: string, header?: string): Segment[] {
    const out: Segment[] = [];
    let last = 0;
    for (const match of text.matchAll(MARK)) {
      if (match.index > last) out.push({ text: text.slice(last, match.index) });
      const whole = match.index === 0 && match[0].length === text.length;
      out.push(...this.secretFor(match[0], whole ? header : undefined).segments);
      last = match.index + match[0].length;
    }
    if (last < text.length) out.push({ text: text.slice(last) });
    return out;
  }

  private secretFor(mark: string, header: string | undefined): KnownSecret {
    const seen = this.byMark.get(mark);
    if (seen) return seen;
    const known = this.known.get(mark);
    const secret = known ?? this.unknown(header);
    this.byMark.set(mark, secret);
    return secret;
  }

  private unknown(header: string | undefined): KnownSecret {
    const taken = new Set([...this.byMark.values()].map((s) => s.variable));
    let variable = header ? `GAUNTLET_SECRET_${variablePart(header)}` : `GAUNTLET_SECRET_${++this.numbered}`;
    // Two callers' Authorization values are two secrets.
    for (let n = 2; taken.has(variable); n++) variable = `GAUNTLET_SECRET_${variablePart(header ?? '')}_${n}`;
    const meaning = header ? `the ${header} value gauntlet sent (a secret, redacted in the report)` : 'a secret gauntlet sent here (redacted in the report)';
    return { variable, meaning, segments: [{ shell: `\${${variable}}` }] };
  }
}
