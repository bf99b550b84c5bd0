/**
 * The one data model every reporter reads. Checks produce CheckResults; the runner groups them into
 * ScenarioResults and a RunResult. Everything here is plain JSON (the JSON reporter writes it as is).
 */

import type { Chart } from './charts.js';

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const STATUSES = ['passed', 'failed', 'errored', 'skipped'] as const;
export type CheckStatus = (typeof STATUSES)[number];

/**
 * How a request failed below HTTP. `tls-rejected` is the peer refusing our handshake or closing a TLS
 * connection before any response byte; `tls-verify-failed` is us refusing the server's certificate.
 */
export const TRANSPORT_CLASSES = [
  'tls-rejected',
  'tls-verify-failed',
  'refused',
  'timeout',
  'reset',
  'dns',
  'protocol-error',
] as const;
export type TransportClass = (typeof TRANSPORT_CLASSES)[number];

export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

export interface RequestEvidence {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  identity?: string;
  localAddress?: string;
}

export interface ResponseEvidence {
  status: number;
  statusText: string;
  headers: Record<string, string | string[]>;
  /** At most the evidence cap; `bodyTruncated` says when it was cut. */
  body: string;
  /** Bytes read: the whole body, or the body cap's worth when `bodyCapped`. */
  bodyBytes: number;
  /** The evidence `body` is not all of what was read: cut at the evidence cap, or at the body cap. */
  bodyTruncated: boolean;
  /** The answer was bigger than the body cap (`--max-body`): reading stopped there and the rest was not waited for. */
  bodyCapped?: boolean;
}

export interface TlsPeerCertificate {
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  fingerprint256: string;
  serialNumber: string;
}

export interface TlsEvidence {
  protocol?: string;
  cipher?: string;
  authorized?: boolean;
  authorizationError?: string;
  peerCertificate?: TlsPeerCertificate;
}

export interface TransportEvidence {
  class: TransportClass;
  code: string;
  message: string;
  /** The TLS alert the peer sent (certificate_expired, unknown_ca, certificate_required, ...), when one was read. */
  alert?: string;
}

export interface Timings {
  startedAt: string;
  /** Time to the response head, when one arrived. */
  headersMs?: number;
  totalMs: number;
}

/**
 * A request of an ordinary check that met a 429: gauntlet waited (Retry-After, else a default) and sent it once
 * more, so one check's traffic does not spoil the next check's verdict. On the retry's exchange when it was sent,
 * on the 429's when it was not.
 */
export interface ThrottleEvidence {
  /** The 429's Retry-After, as sent. */
  retryAfter?: string;
  /** The wait before the retry, and what it was based on. */
  waitMs: number;
  waitFrom: 'retry-after' | 'default';
  retried: boolean;
  /** Why it was not sent again. */
  notRetried?: string;
}

/** One request and what came back: a response or a transport failure. */
export interface Exchange {
  label?: string;
  request: RequestEvidence;
  response?: ResponseEvidence;
  transport?: TransportEvidence;
  tls?: TlsEvidence;
  /** Redirects followed before this answer (only when the check asked to follow them). */
  redirects?: { status: number; location: string }[];
  /** Met a 429 first and was retried after a wait (or could not be). */
  throttled?: ThrottleEvidence;
  notes?: string[];
  timings: Timings;
}

export interface AssertionResult {
  /** What was checked, e.g. `status`, `header content-type matches`, `json $.id exists`. */
  name: string;
  passed: boolean;
  expected?: string;
  actual?: string;
}

export interface Evidence {
  exchanges?: Exchange[];
  notes?: string[];
  /** Measurements to draw (timelines, curves); see charts.ts. */
  charts?: Chart[];
  /** Kind-specific measurements kept for reports and charts (timelines, curves, tables). */
  data?: Record<string, unknown>;
}

/**
 * Where a check's finding is filed, for security teams: its OWASP API Security Top 10 (2023) category and its CWE
 * weakness. From the kind and case, or from the scenario's `owasp:` and `cwe:`. Absent in runs written before it
 * existed, and for checks filed nowhere (an http check the scenario does not file).
 */
export interface CheckTaxonomy {
  /** `id` is `API2:2023`. */
  owasp?: { id: string; title: string; url: string };
  /** `title` is absent for a CWE id gauntlet does not know the name of. */
  cwe?: { id: number; title?: string; url: string };
}

/** The servers and gateways whose usual setting a remediation names. */
export const REMEDIATION_PLACES = ['nginx', 'Express', 'Kong', 'AWS API Gateway'] as const;
export type RemediationPlace = (typeof REMEDIATION_PLACES)[number];

/** What to change so that a failed check passes: for whoever runs the API, not for gauntlet. */
export interface CheckRemediation {
  /** What to change, in a sentence or two. */
  summary: string;
  /** The usual setting, where a common server or gateway has one. */
  settings?: { place: RemediationPlace; setting: string }[];
}

/** How to send the failing request again by hand. */
export interface Reproduction {
  /**
   * Shell commands (curl), one per request the check kept as evidence, each after a `#` comment naming it. Secrets
   * are `$GAUNTLET_KEY_<NAME>` (a profile key), `$GAUNTLET_SECRET_<n>` (any other) and `$GAUNTLET_CERT_<NAME>`
   * (a client certificate) placeholders: the reader sets them, the report never holds them.
   */
  curl: string;
  /** The placeholders the commands use, each with what to set it to. */
  variables: { name: string; meaning: string }[];
}

export interface CheckResult {
  id: string;
  kind: string;
  /** For kinds that run a matrix: which case this is (the id's last part), e.g. `expired`. */
  case?: string;
  title: string;
  scenario: string;
  severity: Severity;
  status: CheckStatus;
  message: string;
  tags: string[];
  taxonomy?: CheckTaxonomy;
  /** Failed checks: what to change (from the kind and case). */
  remediation?: CheckRemediation;
  /** Failed checks: the requests that showed the failure, as commands to send them again. */
  reproduce?: Reproduction;
  source?: SourceLocation;
  assertions?: AssertionResult[];
  /** Set when the check errored because of a transport failure; used for the "unreachable" exit code. */
  transport?: TransportClass;
  /** A failed check a baseline entry accepts: still `failed` and in every report, but it no longer gates the run. */
  suppressed?: Suppression;
  evidence: Evidence;
  startedAt: string;
  durationMs: number;
}

/** Why a finding is accepted, and which baseline entry accepts it. */
export interface Suppression {
  reason: string;
  /** YYYY-MM-DD: the last day the entry holds. */
  expires?: string;
  /** Where the entry is written. */
  entry: SourceLocation;
}

export interface ScenarioResult {
  name: string;
  file: string;
  description?: string;
  tags: string[];
  checks: CheckResult[];
  durationMs: number;
}

export type StatusCounts = Record<CheckStatus, number>;
export type SeverityCounts = Record<Severity, number>;

export interface Totals {
  checks: number;
  byStatus: StatusCounts;
  /** Failed checks by severity: the findings (those a baseline accepts are left out). */
  findingsBySeverity: SeverityCounts;
  /** Failed checks a baseline accepts (absent in runs written before baselines existed). */
  suppressed?: number;
}

export interface Verdict {
  exitCode: number;
  summary: string;
}

/**
 * How the target's certificate was trusted, when not as usual: present when verification was off or the run
 * trusted CA files of its own. Every report shows it, the first loudly.
 */
export interface RunTrust {
  /** The target's certificate was not verified: nothing proves who answered. */
  insecure: boolean;
  /** What turned verification off: `--insecure`, `tls.insecure in profile.yaml`. */
  insecureBy?: string[];
  /** The CA files the target's certificate was verified against (the profile's tls.ca, --cacert). */
  caFiles?: string[];
}

export const RUN_FORMAT_VERSION = 1;

export interface RunResult {
  formatVersion: typeof RUN_FORMAT_VERSION;
  tool: { name: 'gauntlet'; version: string };
  target: { url: string; profile?: string };
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  options: { failOn: Severity; only?: string[]; tags?: string[]; shard?: string; /** Segment i/N of every load check (run --segment). */ segment?: string; allowEmpty?: boolean };
  interrupted: boolean;
  scenarios: ScenarioResult[];
  totals: Totals;
  verdict: Verdict;
  /** With `run --openapi`: which of the document's operations the run's requests reached. */
  coverage?: ApiCoverage;
  /** With `run --baseline`: what the baseline accepted, and what is wrong with it. */
  baseline?: BaselineSummary;
  /** Set when TLS verification of the target was off, or used CA files of the run's own. */
  trust?: RunTrust;
}

/** Why a baseline entry fails the run: its date passed, it no longer names a finding, or it cannot accept one. */
export interface BaselineProblem {
  problem: 'expired' | 'stale' | 'critical';
  /** The entry's check or case id. */
  id: string;
  entry: SourceLocation;
  message: string;
}

export interface BaselineSummary {
  file: string;
  /** Entries that apply to the run's target. */
  entries: number;
  suppressed: number;
  problems: BaselineProblem[];
}

/** How much of an API's documented surface a run exercised, and what it answered that its document does not say. */
export interface ApiCoverage {
  document: string;
  title: string;
  operations: { total: number; audited: number };
  /** Operations reached by the checks of each kind (the check family), by kind. */
  byKind: Record<string, number>;
  /** Operations reached by checks filed under each OWASP category, by category id (API1:2023 ...). */
  byCategory: Record<string, number>;
  /** Operations no request of the run reached, `GET /pets/{petId}`. */
  untouched: string[];
  /** Each operation reached, with the kinds and OWASP categories of the checks that reached it (merging shards needs them). */
  reached: Record<string, { kinds: string[]; categories: string[] }>;
  /** Answers with a status the operation does not document (nor a range or default that covers it). */
  undocumentedStatuses: { operation: string; status: number; checks: string[] }[];
}
