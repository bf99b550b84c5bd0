import { dirname, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import $RefParser, { MissingPointerError, ResolverError } from '@apidevtools/json-schema-ref-parser';
import { dereference, validate } from '@readme/openapi-parser';
import { GauntletError } from '../util/errors.js';
import { findRef } from './find-ref.js';
import type { ApiModel } from './model.js';
import { normalizeDocument } from './normalize.js';
import { fetchDocument, isUrl, parseDocumentText, readDocumentFile } from './read-source.js';
import { schemaProblems } from './schema-problems.js';

/** How long resolving every $ref may take in all. */
const DEREFERENCE_TIMEOUT_MS = 60_000;

export interface LoadedApi {
  model: ApiModel;
  /** The document with every $ref resolved (circular ones left as $ref). */
  document: Record<string, unknown>;
}

/**
 * Reads an OpenAPI 3.0/3.1 or Swagger 2.0 document from a file or an http(s) URL, with its local and remote $refs
 * (each read with the same bounds as the document), validates it, and normalises it. Every problem is a
 * GauntletError (exit 2) that names the JSON pointer where it lies.
 */
export async function loadApi(source: string): Promise<LoadedApi> {
  const remote = isUrl(source);
  const base = remote ? source : pathToFileURL(resolvePath(source)).toString();
  const parsed = parseDocumentText(remote ? await fetchDocument(source) : readDocumentFile(source), source);
  if (!isApiDocument(parsed)) throw new GauntletError('E_OPENAPI_INVALID', `${source}: not an OpenAPI or Swagger document (it has neither an "openapi" nor a "swagger" field at #/)`);
  const bundled = await bundle(base, parsed, remote ? undefined : dirname(resolvePath(source)), source);
  const problems = schemaProblems(bundled);
  if (problems.length) throw invalid(source, problems);
  const checked = await validate(structuredClone(bundled) as never, { dereference: { circular: 'ignore' } }).catch((error: Error) => ({ valid: false as const, errors: [{ message: error.message }] }));
  if (!checked.valid) throw invalid(source, checked.errors.map((e) => e.message.split('\n')[0]!));
  const document = (await dereference(bundled as never, { dereference: { circular: 'ignore' }, timeoutMs: DEREFERENCE_TIMEOUT_MS })) as unknown as Record<string, unknown>;
  return { model: normalizeDocument(document, base), document };
}

function isApiDocument(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && ('openapi' in value || 'swagger' in value);
}

function invalid(source: string, problems: string[]): GauntletError {
  return new GauntletError('E_OPENAPI_INVALID', `${source} is not a valid OpenAPI document:\n${problems.map((p) => `  ${p}`).join('\n')}`);
}

/** Inlines every external $ref (files next to a local document, or http(s) URLs), each read within bounds. */
async function bundle(base: string, document: Record<string, unknown>, localDir: string | undefined, source: string): Promise<Record<string, unknown>> {
  // The resolver library wraps what a reader throws in a message of its own: keep each reader's reason.
  const failures = new Map<string, string>();
  const reading = async <T>(url: string, read: () => T | Promise<T>): Promise<T> => {
    try {
      return await read();
    } catch (error) {
      failures.set(url.split('#')[0]!, (error as Error).message.replace(`${url}: `, ''));
      throw error;
    }
  };
  const boundedFile = { order: 1, canRead: /^file:/i, read: (file: { url: string }) => reading(file.url, () => readDocumentFile(new URL(file.url).pathname)) };
  const boundedHttp = { order: 2, canRead: /^https?:/i, read: (file: { url: string }) => reading(file.url, () => fetchDocument(file.url)) };
  try {
    return (await new $RefParser().bundle(base, structuredClone(document) as never, {
      resolve: { file: false, http: false, ...(localDir ? { boundedFile } : {}), boundedHttp } as never,
      timeoutMs: DEREFERENCE_TIMEOUT_MS,
    })) as unknown as Record<string, unknown>;
  } catch (error) {
    if (error instanceof GauntletError) throw error;
    if (error instanceof MissingPointerError) {
      const ref = (error as MissingPointerError & { targetRef?: string }).targetRef ?? '';
      const at = findRef(document, ref);
      throw new GauntletError('E_OPENAPI_REF', `${source}: the $ref ${at ? `at ${at} ` : ''}points to ${ref}, which does not exist (no "${(error as MissingPointerError & { targetToken?: string }).targetToken}" there)`);
    }
    if (error instanceof ResolverError) {
      const target = /"([^"]+)"/.exec(error.message)?.[1] ?? '';
      const ref = refWritten(document, target, base);
      const reason = failures.get(target.split('#')[0]!) ?? (error as ResolverError & { ioErrorCode?: string }).ioErrorCode ?? error.message;
      throw new GauntletError('E_OPENAPI_REF', `${source}: the $ref ${ref.at ? `at ${ref.at} ` : ''}to ${ref.value ?? target} could not be read: ${reason}`);
    }
    throw new GauntletError('E_OPENAPI_REF', `${source}: its $refs could not be resolved: ${(error as Error).message}`);
  }
}

/** Where the $ref that names an unreadable file or URL is written, and how it is written there. */
function refWritten(document: unknown, target: string, base: string): { at?: string; value?: string } {
  const stack: unknown[] = [document];
  const seen = new Set<unknown>();
  while (stack.length) {
    const value = stack.pop();
    if (value === null || typeof value !== 'object' || seen.has(value)) continue;
    seen.add(value);
    const ref = (value as Record<string, unknown>).$ref;
    if (typeof ref === 'string' && !ref.startsWith('#') && new URL(ref.split('#')[0]!, base).toString() === target.split('#')[0]) return { at: findRef(document, ref), value: ref };
    stack.push(...Object.values(value));
  }
  return {};
}
