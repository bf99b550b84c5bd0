import { dirname, resolve } from 'node:path';
import type { Node } from 'yaml';
import type { SecretRegistry } from '../results/secrets.js';
import { parseDuration, timeoutProblem } from '../util/duration.js';
import { didYouMean } from '../util/did-you-mean.js';
import { ScenarioError, type Diagnostic } from './diagnostics.js';
import { displayPath } from './files.js';
import { readInputFile } from './input-file.js';
import type { KindDefinition } from './kind-definition.js';
import { buildProfileSchema } from './schema.js';
import { checkCertificate, checkPrivateKey } from './tls-material.js';
import { compileSchema, schemaProblems } from './schema-errors.js';
import { YamlSource, type JsonPath } from './source-map.js';
import type { ClientIdentity, KeyPlacement, TargetProfile } from './types.js';
import { secretValues } from './profile-inline-secrets.js';
import { kindSecretPaths, setValueAt, valueAt } from './profile-secrets.js';
import { resolveLoadTime, type LoadTimeProblem } from './variables.js';

export const DEFAULT_TIMEOUTS = { requestMs: 10_000, connectMs: 5_000 };

/** A secret as a profile writes it: a string (with ${env:NAME} or ${file:path} in it), or { env } or { file }. */
export type SecretRef = string | { env?: string; file?: string };

/**
 * A secret's value from how the profile writes it: the variable's value, or the file's text without its final
 * newline. `ref` has had its ${env:}/${file:} references read already when it is a string (see resolveLoadTime).
 */
export function readSecretRef(ref: SecretRef, options: { baseDir: string; env: NodeJS.ProcessEnv }, path: JsonPath, problems: LoadTimeProblem[]): string | undefined {
  if (typeof ref === 'string') return ref;
  if (ref.env !== undefined) {
    const value = options.env[ref.env];
    if (value === undefined) problems.push({ path, code: 'E_ENV_UNSET', message: `environment variable ${ref.env} is not set` });
    return value;
  }
  // Like ${file:...}: the file's final newline is not part of the secret.
  return readText(resolve(options.baseDir, ref.file!), path, problems)?.replace(/\r?\n$/, '');
}

interface RawProfile {
  target: string;
  replicas?: string[];
  tls?: {
    ca?: string;
    servername?: string;
    insecure?: boolean;
    identities?: Record<string, { cert: string; key: string; passphrase?: SecretRef }>;
  };
  keys?: Record<string, SecretRef>;
  defaults?: { identity?: string; key?: string | KeyPlacement };
  headers?: Record<string, string>;
  vars?: Record<string, string | number | boolean>;
  timeouts?: { request?: string | number; connect?: string | number };
  allowLoad?: boolean;
  pace?: number | string;
  mutations?: 'allowed' | 'forbidden';
  keyScopes?: Record<string, string[]>;
  [extension: string]: unknown;
}

export interface ProfileOptions {
  kinds: KindDefinition<any>[];
  secrets: SecretRegistry;
  /** --target: replaces (or, without a profile file, provides) the base URL. */
  target?: string;
  env?: NodeJS.ProcessEnv;
}

const CORE_FIELDS = new Set(['target', 'replicas', 'tls', 'keys', 'defaults', 'headers', 'vars', 'timeouts', 'allowLoad', 'pace', 'mutations', 'keyScopes', '$schema']);

/** The slowest pace: one request an hour. A slower one would hold every check for longer than anyone waits. */
const SLOWEST_PACE_INTERVAL_MS = 3_600_000;
const PER: Record<string, number> = { s: 1000, sec: 1000, second: 1000, m: 60_000, min: 60_000, minute: 60_000, h: 3_600_000, hour: 3_600_000 };

/**
 * `pace` as requests per second: a number (5, 0.5) or a count per duration (`30/min`, `100/15m`, `2/s`); or why
 * the value is not one.
 */
export function parsePace(value: number | string): { perSecond: number } | { problem: string } {
  const shape = 'give requests per second above 0 (5, 0.5) or a count per duration (30/min, 100/15m)';
  let perSecond: number | undefined;
  if (typeof value === 'number') perSecond = value;
  else {
    const match = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(\S+)\s*$/.exec(value);
    const perMs = match ? (PER[match[2]!] ?? parseDuration(/^\d/.test(match[2]!) ? match[2]! : `1${match[2]}`)) : undefined;
    if (match && perMs !== undefined && perMs > 0) perSecond = (Number(match[1]) * 1000) / perMs;
    else if (/^\s*\d+(\.\d+)?\s*$/.test(value)) perSecond = Number(value);
    else return { problem: `pace '${value}' is not a rate: ${shape}` };
  }
  if (!Number.isFinite(perSecond) || perSecond <= 0) return { problem: `a pace of ${JSON.stringify(value)} would never send a request: ${shape}` };
  if (1000 / perSecond > SLOWEST_PACE_INTERVAL_MS) return { problem: `a pace of ${JSON.stringify(value)} is slower than one request an hour: give a faster one` };
  return { perSecond };
}

/** A profile with only a base URL, for `--target` without `--profile`. */
export function profileFromTarget(target: string): TargetProfile {
  return {
    baseUrl: target,
    replicas: [],
    tls: { insecure: false, identities: new Map() },
    keys: new Map(),
    defaults: {},
    headers: {},
    vars: {},
    timeouts: { ...DEFAULT_TIMEOUTS },
    allowLoad: false,
    mutations: 'forbidden',
    keyScopes: new Map(),
    extensions: {},
  };
}

function hasCredentials(target: string): boolean {
  try {
    const url = new URL(target);
    return url.username !== '' || url.password !== '';
  } catch {
    return false;
  }
}

export function validateTargetUrl(target: string): string | undefined {
  try {
    const url = new URL(target);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return `the target must be an http:// or https:// URL, got ${url.protocol}`;
    if (hasCredentials(target)) {
      // Not echoed: whatever sits there is a credential, and every report shows the target.
      return 'the target URL holds a user name or password, which every report would show: send credentials as a header from ${env:NAME} in a profile (headers:), or as a named API key';
    }
    return undefined;
  } catch {
    return `'${target.replace(/\/\/[^/@]*@/, '//[credentials]@')}' is not a URL (expected e.g. https://127.0.0.1:8443)`;
  }
}

/**
 * Loads a target profile. Secrets (API keys, key passphrases) must come from the environment or a file, never
 * inline; every file it names is read now, so a missing certificate is an error before any request.
 */
export function loadProfile(file: string, options: ProfileOptions): TargetProfile {
  const shown = displayPath(file);
  const read = readInputFile(file);
  if (!('text' in read)) throw new ScenarioError([{ file: shown, line: 1, col: 1, code: read.code, message: `cannot read target profile ${file}: ${read.reason}` }]);
  const source = new YamlSource(shown, read.text, { profile: true });
  // Before anything else is checked: a profile with other mistakes must not print its secrets, nor hide them.
  const written = secretValues(source.doc, options.kinds);
  source.hideSecrets(written);
  const inline = written.filter((s) => s.inline).map(({ path, at }) => inlineSecretDiagnostic(source, path, at));
  const syntax = source.syntaxErrors();
  // After a syntax error, where the parser placed a value is guesswork, and so is the mask: no frames.
  if (syntax.length) throw new ScenarioError([...inline.map((d) => ({ ...d, frame: undefined })), ...syntax]);
  const data = source.toJS();
  const shape = schemaProblems(compileSchema(buildProfileSchema(options.kinds)), data, source).map((p) => p.diagnostic);
  const diagnostics: Diagnostic[] = [...inline, ...shape];
  if (shape.length) throw new ScenarioError(diagnostics);

  const baseDir = dirname(resolve(file));
  const raw = data as RawProfile;
  const problems: LoadTimeProblem[] = [];
  const env = options.env ?? process.env;
  const resolved = resolveLoadTime(raw, { baseDir, env }, problems) as RawProfile;
  const secretValue = (ref: SecretRef, path: JsonPath): string | undefined => readSecretRef(ref, { baseDir, env }, path, problems);

  const keys = new Map<string, string>();
  for (const [name, ref] of Object.entries(resolved.keys ?? {})) {
    const value = secretValue(ref, ['keys', name]);
    if (value === undefined || problems.some((p) => p.path[0] === 'keys' && p.path[1] === name)) continue;
    if (value === '') problems.push({ path: ['keys', name], code: 'E_EMPTY_SECRET', message: `API key '${name}' resolved to an empty value` });
    keys.set(name, value);
    options.secrets.add(value);
  }

  for (const path of kindSecretPaths(options.kinds)) {
    const ref = valueAt(resolved, path) as SecretRef | undefined;
    const value = ref === undefined ? undefined : secretValue(ref, path);
    if (value === undefined) continue;
    if (value === '') problems.push({ path, code: 'E_EMPTY_SECRET', message: `the secret ${path.join('.')} resolved to an empty value` });
    setValueAt(resolved, path, value);
    options.secrets.add(value);
  }

  const identities = new Map<string, ClientIdentity>();
  for (const [name, entry] of Object.entries(resolved.tls?.identities ?? {})) {
    const certPath = resolve(baseDir, entry.cert);
    const keyPath = resolve(baseDir, entry.key);
    const cert = readText(certPath, ['tls', 'identities', name, 'cert'], problems);
    const key = readText(keyPath, ['tls', 'identities', name, 'key'], problems);
    const passphrase = entry.passphrase === undefined ? undefined : secretValue(entry.passphrase, ['tls', 'identities', name, 'passphrase']);
    if (key !== undefined) options.secrets.addPem(key);
    options.secrets.add(passphrase);
    if (cert !== undefined) checkCertificate(cert, certPath, ['tls', 'identities', name, 'cert'], problems);
    if (key !== undefined) checkPrivateKey(key, passphrase, keyPath, ['tls', 'identities', name, 'key'], problems);
    if (cert !== undefined && key !== undefined) identities.set(name, { name, certPath, keyPath, cert, key, passphrase });
  }
  const caPath = resolved.tls?.ca === undefined ? undefined : resolve(baseDir, resolved.tls.ca);
  const ca = caPath === undefined ? undefined : readText(caPath, ['tls', 'ca'], problems);
  if (ca !== undefined) checkCertificate(ca, caPath!, ['tls', 'ca'], problems);

  const defaults = resolved.defaults ?? {};
  const defaultKey: KeyPlacement | undefined =
    defaults.key === undefined ? undefined : typeof defaults.key === 'string' ? { name: defaults.key, in: 'header' } : defaults.key;
  checkName(defaults.identity, [...identities.keys()], ['defaults', 'identity'], 'client identity', problems);
  checkName(defaultKey?.name, [...keys.keys()], ['defaults', 'key'], 'API key', problems);
  // Against the names written under keys:, so a key whose value could not be read is not reported twice.
  for (const name of Object.keys(resolved.keyScopes ?? {})) checkName(name, Object.keys(resolved.keys ?? {}), ['keyScopes', name], 'API key', problems);

  const target = options.target ?? resolved.target;
  const targetProblem = validateTargetUrl(target);
  for (const which of ['request', 'connect'] as const) {
    const value = resolved.timeouts?.[which];
    const problem = value === undefined ? undefined : timeoutProblem(value);
    if (problem) problems.push({ path: ['timeouts', which], code: 'E_BAD_TIMEOUT', message: problem });
  }
  const pace = resolved.pace === undefined ? undefined : parsePace(resolved.pace);
  if (pace && 'problem' in pace) problems.push({ path: ['pace'], code: 'E_BAD_PACE', message: pace.problem });
  const urlCode = (url: string) => (hasCredentials(url) ? 'E_URL_CREDENTIALS' : 'E_BAD_TARGET');
  if (targetProblem) problems.push({ path: ['target'], code: urlCode(target), message: targetProblem });
  (resolved.replicas ?? []).forEach((replica, i) => {
    const problem = validateTargetUrl(replica);
    if (problem) problems.push({ path: ['replicas', i], code: urlCode(replica), message: problem.replace('the target', 'a replica') });
  });

  for (const problem of problems) {
    const diagnostic = source.diagnosticAt(problem.path, problem.code, problem.message, hintFor(problem));
    // No code frame for a URL with credentials: it would print them.
    diagnostics.push(problem.code === 'E_URL_CREDENTIALS' ? { ...diagnostic, frame: undefined } : diagnostic);
  }
  if (diagnostics.length) throw new ScenarioError(diagnostics);

  return {
    file: shown,
    baseUrl: target,
    replicas: resolved.replicas ?? [],
    tls: { ca, caPath, servername: resolved.tls?.servername, insecure: resolved.tls?.insecure ?? false, identities },
    keys,
    defaults: { identity: defaults.identity, key: defaultKey },
    headers: resolved.headers ?? {},
    vars: Object.fromEntries(Object.entries(resolved.vars ?? {}).map(([k, v]) => [k, String(v)])),
    timeouts: {
      requestMs: parseDuration(resolved.timeouts?.request ?? DEFAULT_TIMEOUTS.requestMs)!,
      connectMs: parseDuration(resolved.timeouts?.connect ?? DEFAULT_TIMEOUTS.connectMs)!,
    },
    allowLoad: resolved.allowLoad ?? false,
    pace: pace && 'perSecond' in pace ? pace.perSecond : undefined,
    mutations: resolved.mutations ?? 'forbidden',
    keyScopes: new Map(Object.entries(resolved.keyScopes ?? {})),
    sources: {
      baseDir,
      keys: raw.keys ?? {},
      identities: Object.fromEntries(Object.entries(raw.tls?.identities ?? {}).map(([name, entry]) => [name, { key: entry.key, passphrase: entry.passphrase }])),
      headers: raw.headers ?? {},
    },
    extensions: Object.fromEntries(Object.entries(resolved).filter(([k]) => !CORE_FIELDS.has(k))),
  };
}

function readText(path: string, at: JsonPath, problems: LoadTimeProblem[]): string | undefined {
  const read = readInputFile(path);
  if ('text' in read) return read.text;
  problems.push({ path: at, code: read.code, message: `cannot read ${path}: ${read.reason}` });
  return undefined;
}

function inlineSecretDiagnostic(source: YamlSource, path: JsonPath, node: Node): Diagnostic {
  const what = path[0] === 'keys' ? `API key '${path[1]}'` : `the secret ${path.join('.')}`;
  return source.diagnosticAtNode(node, 'E_INLINE_SECRET', `${what} is written inline; secrets must not live in profile files`, 'use ${env:NAME}, ${file:path}, { env: NAME } or { file: path }');
}

function checkName(name: string | undefined, known: string[], path: JsonPath, what: string, problems: LoadTimeProblem[]): void {
  if (name === undefined || name === 'none' || known.includes(name)) return;
  const suggestion = didYouMean(name, known);
  problems.push({ path, code: 'E_UNKNOWN_NAME', message: `${what} '${name}' is not defined in this profile${suggestion ? ` (did you mean '${suggestion}'?)` : ''}` });
}

function hintFor(problem: LoadTimeProblem): string | undefined {
  if (problem.code === 'E_ENV_UNSET') return 'export the variable before running gauntlet';
  if (problem.code === 'E_MISSING_FILE') return 'paths in a profile are relative to the profile file';
  if (problem.code === 'E_BAD_CERT' || problem.code === 'E_BAD_KEY') return 'gauntlet certs writes a usable set of certificates and keys';
  return undefined;
}
