import { readFileSync, statSync } from 'node:fs';
import { request } from 'undici';
import { parse as parseYaml } from 'yaml';
import { GauntletError } from '../util/errors.js';

/** The largest OpenAPI document (or referenced part) read: GitHub's REST description is 13 MB. */
export const MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;
/** How long one document may take to arrive, headers and body together. */
export const DOCUMENT_TIMEOUT_MS = 15_000;
const MAX_REDIRECTS = 3;

export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** The text of a local file, refused when it is not a regular file or is larger than MAX_DOCUMENT_BYTES. */
export function readDocumentFile(path: string): string {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new GauntletError('E_OPENAPI_SOURCE', `${path}: not a regular file`);
    size = stat.size;
  } catch (error) {
    if (error instanceof GauntletError) throw error;
    throw new GauntletError('E_OPENAPI_SOURCE', `${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (size > MAX_DOCUMENT_BYTES) throw new GauntletError('E_OPENAPI_SOURCE', `${path}: ${size} bytes, more than the ${MAX_DOCUMENT_BYTES}-byte limit of an OpenAPI document`);
  return readFileSync(path, 'utf8');
}

/**
 * The body of an http(s) URL: at most MAX_REDIRECTS redirects, one deadline for all of it, at most
 * MAX_DOCUMENT_BYTES read. Anything but a 2xx is an error naming the status.
 */
export async function fetchDocument(url: string, hops = 0): Promise<string> {
  const signal = AbortSignal.timeout(DOCUMENT_TIMEOUT_MS);
  let response: Awaited<ReturnType<typeof request>>;
  try {
    response = await request(url, { method: 'GET', headers: { accept: 'application/json, application/yaml;q=0.9, */*;q=0.5' }, signal, headersTimeout: DOCUMENT_TIMEOUT_MS, bodyTimeout: DOCUMENT_TIMEOUT_MS });
  } catch (error) {
    const reason = signal.aborted ? `no answer within ${DOCUMENT_TIMEOUT_MS / 1000} s` : ((error as NodeJS.ErrnoException).code ?? (error as Error).message);
    throw new GauntletError('E_OPENAPI_SOURCE', `${url}: ${reason}`);
  }
  const { statusCode, headers, body } = response;
  if (statusCode >= 300 && statusCode < 400 && headers.location) {
    await discard(body);
    if (hops >= MAX_REDIRECTS) throw new GauntletError('E_OPENAPI_SOURCE', `${url}: more than ${MAX_REDIRECTS} redirects`);
    return fetchDocument(new URL(String(headers.location), url).toString(), hops + 1);
  }
  if (statusCode < 200 || statusCode >= 300) {
    await discard(body);
    throw new GauntletError('E_OPENAPI_SOURCE', `${url}: answered HTTP ${statusCode}, not the document`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      size += (chunk as Buffer).length;
      if (size > MAX_DOCUMENT_BYTES) {
        await discard(body);
        throw new GauntletError('E_OPENAPI_SOURCE', `${url}: more than the ${MAX_DOCUMENT_BYTES}-byte limit of an OpenAPI document`);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof GauntletError) throw error;
    throw new GauntletError('E_OPENAPI_SOURCE', `${url}: the answer broke off (${signal.aborted ? 'too slow' : (error as Error).message})`);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Drops an answer not read (up to a bound), so its connection can go back to the pool. */
async function discard(body: { dump(options?: { limit?: number }): Promise<void> }): Promise<void> {
  await body.dump({ limit: 64 * 1024 }).catch(() => undefined);
}

/** JSON or YAML text to a value; the error names the source and the position. */
export function parseDocumentText(text: string, source: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new GauntletError('E_OPENAPI_SYNTAX', `${source}: not valid JSON: ${(error as Error).message}`);
    }
  }
  try {
    return parseYaml(text, { maxAliasCount: 10_000, prettyErrors: true });
  } catch (error) {
    throw new GauntletError('E_OPENAPI_SYNTAX', `${source}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
}
