import type { CheckResult, RunResult, RunTrust } from '../results/model.js';

export interface RunPlan {
  target: string;
  scenarios: { name: string; file: string; checks: number }[];
  totalChecks: number;
  /** How the target's certificate is trusted, when not as usual. */
  trust?: RunTrust;
}

/** Every hook optional; file reporters write once, at the end. Reporters read results only. */
export interface Reporter {
  name: string;
  onRunStart?(plan: RunPlan): void;
  onCheckStart?(check: { id: string; title: string; scenario: string }): void;
  onProgress?(checkId: string, message: string): void;
  onCheckEnd?(result: CheckResult): void;
  /** Returns the files it wrote, if any. */
  onRunEnd?(run: RunResult): Promise<string[] | void> | string[] | void;
}
