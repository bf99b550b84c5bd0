import { X509Certificate } from 'node:crypto';
import { compileJsonPath, select } from '../../util/json-path.js';
import type { WhoamiSpec } from './spec.js';
import { clip } from '../../util/clip.js';
import { boundedJson, MATCHED_TEXT_CHARS } from '../../util/bounded-json.js';

export interface PresentedIdentity {
  commonName?: string;
  fingerprint256: string;
}

export function presentedIdentity(certPem: string): PresentedIdentity {
  const certificate = new X509Certificate(certPem);
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(certificate.subject)?.[1];
  return { commonName: cn, fingerprint256: certificate.fingerprint256 };
}

export function whoamiSpec(whoami: string | WhoamiSpec): WhoamiSpec {
  return typeof whoami === 'string' ? { path: whoami } : whoami;
}

/** Characters that continue a name: a CN match must not be followed or preceded by one. */
const NAME_CHAR = '[A-Za-z0-9._-]';
const NOT_NAME_CHAR = '[^A-Za-z0-9._-]';

/**
 * Whether a whoami answer names the presented certificate: its CN as a whole token (so client-valid is not found
 * inside client-valid-2), or its SHA-256 fingerprint in hex with or without colons.
 */
export function namesIdentity(answer: string, json: string | undefined, identity: PresentedIdentity): { ok: boolean; shown: string } {
  let text = answer;
  if (json !== undefined) {
    let document: unknown;
    try {
      document = JSON.parse(answer);
    } catch {
      return { ok: false, shown: `not JSON: ${clip(answer, 80)}` };
    }
    const found = select(compileJsonPath(json), document);
    if (!found.found) return { ok: false, shown: `nothing at ${json}` };
    text = typeof found.value === 'string' ? found.value : boundedJson(found.value, MATCHED_TEXT_CHARS);
  }
  const shown = clip(text, 160);
  if (identity.commonName) {
    const escaped = identity.commonName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (new RegExp(`(^|${NOT_NAME_CHAR})${escaped}(?!${NAME_CHAR})`).test(text)) return { ok: true, shown };
  }
  const hex = identity.fingerprint256.replace(/:/g, '').toLowerCase();
  return { ok: text.replace(/:/g, '').toLowerCase().includes(hex), shown };
}
