import { Agent, request } from 'undici';
import { probeTls } from '../engine/tls-probe.js';

/** How long one probe request may take, connect to last byte. */
const PROBE_TIMEOUT_MS = 5000;
/** What is read of a probe answer at most. */
const PROBE_BODY_BYTES = 64 * 1024;

/** Paths an API commonly serves: documents, health, and its root. */
export const DOCUMENT_PATHS = ['/openapi.json', '/openapi.yaml', '/swagger.json', '/v3/api-docs', '/api-docs', '/api/openapi.json'];
export const CANDIDATE_PATHS = ['/', '/health', '/healthz', '/status', '/api', '/api/v1', '/v1'];

export interface PathAnswer {
  path: string;
  status?: number;
  contentType?: string;
  challenge?: string;
  rateLimitHeaders: Record<string, string>;
  error?: string;
}

export interface TargetFacts {
  target: string;
  https: boolean;
  /** The server asked for a client certificate in its TLS 1.2 handshake. */
  asksClientCertificate?: boolean;
  /** An OpenAPI or Swagger document the target serves, at this URL. */
  openApiUrl?: string;
  answers: PathAnswer[];
}

/**
 * What a target shows of itself to a caller without credentials: whether it asks for a client certificate, which
 * auth challenges and rate-limit headers it answers with, which common paths exist, and whether it serves an
 * OpenAPI document. A handful of GETs on loopback or not, each bounded; nothing is changed.
 */
export async function probeTarget(target: string): Promise<TargetFacts> {
  const url = new URL(target);
  const facts: TargetFacts = { target: url.origin + url.pathname.replace(/\/$/, ''), https: url.protocol === 'https:', answers: [] };
  if (facts.https) {
    const tls = await probeTls({ host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 443), maxVersion: 'TLSv1.2', timeoutMs: PROBE_TIMEOUT_MS });
    facts.asksClientCertificate = tls.flight.certificateRequested;
  }
  for (const path of CANDIDATE_PATHS) facts.answers.push(await get(facts.target, path));
  for (const path of DOCUMENT_PATHS) {
    const answer = await get(facts.target, path, true);
    if (answer.status === 200 && answer.isDocument) {
      facts.openApiUrl = `${facts.target}${path}`;
      break;
    }
  }
  return facts;
}

/**
 * The probe sends no credential and only reads what any caller is answered, so it does not stop at a certificate
 * it cannot verify (a private CA is common in staging): the profile it writes verifies, once tls.ca is set.
 */
const probeAgent = new Agent({ connect: { rejectUnauthorized: false, timeout: PROBE_TIMEOUT_MS } });

async function get(base: string, path: string, readDocument = false): Promise<PathAnswer & { isDocument?: boolean }> {
  const signal = AbortSignal.timeout(PROBE_TIMEOUT_MS);
  try {
    const response = await request(`${base}${path}`, { method: 'GET', signal, dispatcher: probeAgent, headersTimeout: PROBE_TIMEOUT_MS, bodyTimeout: PROBE_TIMEOUT_MS, headers: { accept: 'application/json' } });
    const headers = response.headers;
    const header = (name: string) => {
      const value = headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    };
    let isDocument = false;
    if (readDocument && response.statusCode === 200) {
      const text = await readCapped(response.body);
      isDocument = /"(openapi|swagger)"\s*:|^(openapi|swagger):/m.test(text);
    } else {
      await response.body.dump({ limit: PROBE_BODY_BYTES }).catch(() => undefined);
    }
    const rateLimitHeaders = Object.fromEntries(Object.entries(headers).filter(([name]) => /^(ratelimit|ratelimit-policy|x-ratelimit-[a-z-]+|retry-after)$/i.test(name)).map(([name, value]) => [name.toLowerCase(), String(value)]));
    return { path, status: response.statusCode, contentType: header('content-type'), challenge: header('www-authenticate'), rateLimitHeaders, isDocument };
  } catch (error) {
    return { path, rateLimitHeaders: {}, error: signal.aborted ? `no answer within ${PROBE_TIMEOUT_MS / 1000} s` : ((error as NodeJS.ErrnoException).code ?? (error as Error).message) };
  }
}

async function readCapped(body: AsyncIterable<Buffer | string> & { destroy(): void; on(event: 'error', listener: () => void): unknown }): Promise<string> {
  // Stopping early destroys the stream: that must not surface as an unhandled error.
  body.on('error', () => undefined);
  let text = '';
  for await (const chunk of body) {
    text += chunk.toString();
    if (text.length > PROBE_BODY_BYTES) break;
  }
  body.destroy();
  return text;
}
