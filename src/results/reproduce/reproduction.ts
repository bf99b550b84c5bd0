import type { CheckResult, Reproduction } from '../model.js';
import { curlCommand, type CurlSetup } from './curl-command.js';
import { Placeholders, type KnownSecret } from './placeholders.js';
import { commentText } from './shell-word.js';

/** Commands kept per finding: enough for a multi-step finding (create, attack, read back), not a burst's worth. */
export const MAX_COMMANDS = 5;

export interface ReproduceContext extends CurlSetup {
  /** Secrets the profile names (its keys), by their redaction label. */
  known: ReadonlyMap<string, KnownSecret>;
}

/**
 * The requests a failed check kept as evidence, as curl commands to send them again, in order: a finding made of
 * several steps (the owner creates, the intruder deletes, the owner reads) is reproduced by all of them. Built from
 * the redacted result only, so it can show no secret: every redaction mark becomes a `$GAUNTLET_...` placeholder.
 */
export function reproductionOf(check: CheckResult, context: ReproduceContext): Reproduction | undefined {
  const exchanges = check.evidence.exchanges ?? [];
  if (check.status !== 'failed' || exchanges.length === 0) return undefined;
  const placeholders = new Placeholders(context.known);
  const steps: { title: string; notes: string[]; command: string; times: number }[] = [];
  for (const [i, exchange] of exchanges.entries()) {
    const { notes, command } = curlCommand(exchange, placeholders, context);
    const previous = steps.at(-1);
    if (previous?.command === command) {
      previous.times++;
      continue;
    }
    if (steps.length === MAX_COMMANDS) {
      steps.push({ title: `and ${exchanges.length - i} more request(s): see the report's evidence`, notes: [], command: '', times: 1 });
      break;
    }
    const answer = exchange.response ? `answered ${exchange.response.status}` : exchange.transport ? `failed: ${exchange.transport.class}` : 'not answered';
    steps.push({ title: `${exchange.label ?? `request ${i + 1}`} (${answer})`, notes, command, times: 1 });
  }
  const curl = steps
    .map((step) => {
      const times = step.times > 1 ? ` (sent ${step.times} times in a row)` : '';
      const comments = [`# ${commentText(step.title)}${times}`, ...step.notes.map((n) => `# ${n}`)];
      return [...comments, ...(step.command ? [step.command] : [])].join('\n');
    })
    .join('\n\n');
  return { curl, variables: placeholders.variables() };
}
