/** A check the audit plan writes: its scenario spec, the comment above it, and the operations it covers. */
export interface PlannedCheck {
  spec: Record<string, unknown> & { id: string; kind: string };
  comment: string[];
  /** `GET /pets/{petId}` labels of the operations its requests exercise. */
  operations: string[];
  /** Position in its scenario: objects are made first, deleted last. */
  stage: Stage;
}

/** The order checks run in within a scenario (a scenario's checks run in order, captures flowing down). */
export const STAGES = ['create', 'read', 'family', 'methods', 'write', 'delete', 'authorization', 'rate-limit'] as const;
export type Stage = (typeof STAGES)[number];

export interface PlannedScenario {
  /** File name, e.g. pets.yaml. */
  file: string;
  name: string;
  description: string;
  checks: PlannedCheck[];
}
