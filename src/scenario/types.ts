import type { Severity, SourceLocation } from '../results/model.js';

/** The fields every check has, whatever its kind. Kind-specific fields sit beside them. */
export interface CheckSpecBase {
  id: string;
  kind: string;
  title?: string;
  severity: Severity;
  skip?: boolean | string;
  tags?: string[];
  /** Files the check under this OWASP API Security Top 10 (2023) category (`API1` ... `API10`), for all its cases. */
  owasp?: string;
  /** Files the check under this CWE id, for all its cases. */
  cwe?: number;
  /** The check changes data on the target: it runs only when the profile says `mutations: allowed`. */
  mutates?: boolean;
  /** What the profile must say for the check to fit the target (see scenario/requirements.ts). */
  requires?: string[];
}

/** A check as loaded: its raw spec (variables still unresolved) and where it came from. */
export interface LoadedCheck {
  spec: CheckSpecBase & Record<string, unknown>;
  source: SourceLocation;
  /** JSON paths of the spec, mapped to their source, for errors found while running. */
  scenarioFile: string;
  /** The case suffixes --only selected, when it selected some cases of the check rather than the check itself. */
  cases?: string[];
}

export interface LoadedScenario {
  file: string;
  name: string;
  description?: string;
  tags: string[];
  vars: Record<string, string>;
  checks: LoadedCheck[];
}

/** Where a named API key goes in a request. */
export interface KeyPlacement {
  name: string;
  /** header, Authorization: Bearer, the query string, a cookie, or Authorization: Basic (the value is user:password). */
  in: 'header' | 'bearer' | 'query' | 'cookie' | 'basic';
  /** Header name for `in: header` (default X-API-Key). */
  header?: string;
  /** Query parameter for `in: query` (default api_key), cookie name for `in: cookie`. */
  param?: string;
}

export interface ClientIdentity {
  name: string;
  certPath: string;
  keyPath: string;
  cert: string;
  key: string;
  passphrase?: string;
}

export interface TargetProfile {
  /** The file it was loaded from, when there was one. */
  file?: string;
  baseUrl: string;
  /** Extra base URLs that share one rate limit (replicas); later check kinds use them. */
  replicas: string[];
  tls: {
    ca?: string;
    caPath?: string;
    servername?: string;
    /** Skip verifying the server certificate. Off by default; reported in the run. */
    insecure: boolean;
    identities: Map<string, ClientIdentity>;
  };
  keys: Map<string, string>;
  /** Applied to requests that do not name their own identity or key (`none` opts out). */
  defaults: { identity?: string; key?: KeyPlacement };
  headers: Record<string, string>;
  vars: Record<string, string>;
  timeouts: { requestMs: number; connectMs: number };
  allowLoad: boolean;
  /** Requests per second for the run's ordinary requests (not rate-limit and load measurements); unset: no pace. */
  pace?: number;
  /** Whether checks that change data on the target (create, update, delete) may run: `allowed` only when the profile says so. */
  mutations: 'allowed' | 'forbidden';
  /** The scopes each named key holds, when the profile declares them (keyScopes:). */
  keyScopes: Map<string, string[]>;
  /**
   * How the profile wrote its secrets and headers, before their ${env:} and ${file:} references were read: a load
   * worker reads them again from its own environment, so no secret travels to it.
   */
  sources?: ProfileSources;
  /** Extra, kind-specific profile sections (e.g. key-management endpoints), validated by their kinds. */
  extensions: Record<string, unknown>;
}

export interface ProfileSources {
  /** The folder of the profile file: relative ${file:} references and key paths start there. */
  baseDir: string;
  keys: Record<string, string | { env?: string; file?: string }>;
  identities: Record<string, { key: string; passphrase?: string | { env?: string; file?: string } }>;
  headers: Record<string, string>;
}
