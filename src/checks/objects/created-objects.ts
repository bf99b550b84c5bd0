import type { RequestSpec } from '../../engine/http-client.js';
import type { CheckContext, CheckOutcome } from '../types.js';
import type { Caller } from './caller.js';
import { createObject, deleteCreated, type Creation, type ObjectId } from './created-object.js';

interface Kept {
  id: ObjectId;
  who: string;
  caller: Caller;
  cleanup: RequestSpec;
}

/**
 * The objects a check created, each deleted at the end by the caller that made it, whatever happened between:
 * call `deleteAll` in a `finally`. What came of each creation and deletion is kept as notes for every case.
 */
export class CreatedObjects {
  private readonly kept: Kept[] = [];
  readonly notes: string[] = [];

  constructor(private readonly ctx: CheckContext) {}

  async create(who: string, caller: Caller, request: RequestSpec, idPath: string, cleanup: RequestSpec, label: string): Promise<Creation> {
    const creation = await createObject(this.ctx, who, caller, request, idPath, label);
    if ('id' in creation) this.kept.push({ id: creation.id, who, caller, cleanup });
    else if (creation.note) this.notes.push(creation.note);
    return creation;
  }

  get count(): number {
    return this.kept.length;
  }

  /** Deletes every object created, newest first. */
  async deleteAll(): Promise<void> {
    for (const object of this.kept.splice(0).reverse()) {
      this.notes.push(await deleteCreated(this.ctx, object.who, object.caller, object.cleanup, object.id, `${object.who} (${object.caller.name}) cleans up`));
    }
  }
}

/** The outcomes with these notes added to each. */
export function withNotes(outcomes: CheckOutcome[], notes: string[]): CheckOutcome[] {
  if (!notes.length) return outcomes;
  return outcomes.map((o) => ({ ...o, evidence: { ...o.evidence, notes: [...(o.evidence.notes ?? []), ...notes] } }));
}
