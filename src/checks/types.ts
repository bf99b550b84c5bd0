import type { LoadEngine } from '../engine/load-engine.js';
import type { SplitLoad } from '../engine/load-segment.js';
import type { HttpClient } from '../engine/http-client.js';
import type {
  AssertionResult,
  CheckStatus,
  Evidence,
  Severity,
  SourceLocation,
  TransportClass,
} from '../results/model.js';
import type { SecretRegistry } from '../results/secrets.js';
import type { KindDefinition, SpecIssue, SpecValidationContext } from '../scenario/kind-definition.js';
import type { CheckSpecBase, TargetProfile } from '../scenario/types.js';
import type { BoundsContext, CheckBounds } from './bounds.js';
import type { CaseInfo } from './cases.js';

export interface CheckContext {
  check: { id: string; title: string; severity: Severity; source?: SourceLocation; tags: string[] };
  profile: TargetProfile;
  http: HttpClient;
  /** Variables and earlier captures of this scenario. */
  vars: ReadonlyMap<string, unknown>;
  capture(name: string, value: unknown): void;
  secrets: SecretRegistry;
  /** Aborted when the run is interrupted; long checks must stop promptly. */
  signal: AbortSignal;
  options: { timeoutMs: number; allowLoad: boolean; /** Who generates load (default: this process). */ loadEngine?: LoadEngine };
  /** A short line of live progress, for long checks (shown on a TTY). */
  progress(message: string): void;
}

/**
 * What one case of a check produced. Most kinds return one; kinds that run a matrix (mtls, api-key,
 * rate-limit) return one per case, each with an id suffix (`<check id>.<suffix>`) and its own title.
 */
export interface CheckOutcome {
  idSuffix?: string;
  title?: string;
  severity?: Severity;
  status: CheckStatus;
  message: string;
  assertions?: AssertionResult[];
  transport?: TransportClass;
  evidence: Evidence;
  durationMs?: number;
}

export interface CheckKind<Spec extends CheckSpecBase = CheckSpecBase & Record<string, unknown>>
  extends KindDefinition<Spec> {
  /** Runs alone, with no other check in flight (load, bursts), so other traffic cannot disturb it. */
  exclusive?: boolean;
  /**
   * For kinds whose load can be generated in parts (segments, workers): the quantities that split. Such a check
   * runs in every segment of `run --segment i/N` (its i-th part); other checks run in segment 1 only.
   */
  splitLoad?(spec: Spec): SplitLoad;
  /**
   * For kinds that spend the target's quota on purpose (rate-limit probes, load): how long the target needs after
   * such a check to give a client its whole quota back, from what the spec declares (the policy's recovery time, a
   * load's limit window; 0 when it declares nothing). The runner runs these checks after the target's other
   * checks, and starts each only once the target has had no traffic for that long (the longer of this check's and
   * the previous such check's), so no measurement sees another check's traffic.
   */
  quotaRecoveryMs?(spec: Spec, context: BoundsContext): number;
  /**
   * Whether a run of this spec changes data on the target (creates, updates or deletes objects). Such a check runs
   * only when the profile says `mutations: allowed`; so does any check whose spec says `mutates: true`.
   */
  mutates?(spec: Spec): boolean;
  /** A title when the scenario gives none. */
  defaultTitle(spec: Spec): string;
  /**
   * For kinds that report several cases: the cases a run of this spec reports. A check that never starts, stops
   * early or fails as a whole still reports each of them (as not run or errored), so no planned case vanishes.
   */
  plannedCases?(spec: Spec, context: BoundsContext): CaseInfo[];
  /**
   * The spec narrowed to run only these planned cases (their id suffixes), for `--only <check>.<case>`: usually the
   * spec's own list of cases (`cases:`, `probes:`, `try:`) cut down. Without it the whole check runs, and only the
   * selected cases are reported.
   */
  narrowToCases?(spec: Spec, suffixes: readonly string[]): Spec;
  /** Whether a run of this spec may change data on the target; such a check needs the profile's `mutations: allowed`. */
  mutates?(spec: Spec): boolean;
  /**
   * The most one run can cost (requests, time), from the spec alone, whatever the target does. The runner refuses
   * more than a handful of requests to a host outside loopback without --allow-load, stops a check that sends more
   * than `requests`, and stops one that runs past `durationMs`.
   */
  bounds(spec: Spec, context: BoundsContext): CheckBounds;
  run(ctx: CheckContext, spec: Spec): Promise<CheckOutcome[]>;
}

export type { BoundsContext, CheckBounds, SpecIssue, SpecValidationContext };
