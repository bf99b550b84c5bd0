import { didYouMean } from '../util/did-you-mean.js';
import { GauntletError } from '../util/errors.js';

/** A usage error: exit 2, before anything is loaded, started or sent. */
export const usageError = (message: string) => new GauntletError('E_USAGE', message);

const helpHint = (command: string | undefined) => `see: gauntlet ${command ? `${command} ` : ''}--help`;

/** `gauntlet runn`: an unknown command is refused, with the closest command, before yargs sees the rest. */
export function refuseUnknownCommand(argv: readonly string[], commands: readonly string[]): void {
  const first = argv[0];
  if (first === undefined || first.startsWith('-') || commands.includes(first)) return;
  const suggestion = didYouMean(first, commands);
  throw usageError(`unknown command '${first}'${suggestion ? `: did you mean '${suggestion}'?` : ''} (commands: ${commands.join(', ')})`);
}

/** The options yargs knew when it refused a line: the third argument of its fail callback carries them. */
export function knownOptions(state: unknown): string[] {
  const describe = (state as { getDescriptions?: () => Record<string, unknown> } | undefined)?.getDescriptions;
  if (typeof describe !== 'function') return [];
  return Object.keys(describe.call(state)).filter((name) => !/[A-Z]/.test(name));
}

const camelToKebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** How `name` was written on the command line (`--name`, `--no-name`, `-n`), or undefined for a bare word (a positional). */
function writtenAsOption(name: string, argv: readonly string[]): string | undefined {
  for (const token of argv) {
    if (!token.startsWith('-')) continue;
    const written = token.split('=')[0]!;
    const bare = written.replace(/^--?/, '');
    if (bare === name || bare === `no-${name}`) return written;
  }
  return undefined;
}

function unknownArguments(list: string, argv: readonly string[], options: string[], command: string | undefined): string {
  const names = list.split(', ').map((n) => n.trim());
  // yargs names an unknown option twice, as written and camel-cased (fial-on, fialOn).
  const distinct = names.filter((n) => !/[A-Z]/.test(n) || !names.includes(camelToKebab(n)));
  return distinct
    .map((name) => {
      const written = writtenAsOption(name, argv);
      if (!written) return `unexpected argument '${name}': ${command ?? 'gauntlet'} takes no such argument here`;
      const suggestion = didYouMean(written.replace(/^--?/, ''), options) ?? didYouMean(name, options);
      return `unknown option ${written}${suggestion ? `: did you mean --${suggestion}?` : ''}`;
    })
    .join('\n');
}

/** `Argument: fail-on, Given: "hihg", Choices: "info", "low", ...`, one line per option. */
function invalidChoices(lines: string, argv: readonly string[]): string {
  return lines
    .split('\n')
    .map((line) => /Argument: (\S+), Given: (.*), Choices: (.*)$/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map(([, option, given, choices]) => {
      const values = choices!.split(', ').map(unquote);
      const value = unquote(given!);
      const suggestion = didYouMean(value, values);
      const what = writtenAsOption(option!, argv) ? `--${option}` : `<${option}>`;
      return `${what} expects one of ${values.join(', ')}; got '${value}'${suggestion ? `: did you mean '${suggestion}'?` : ''}`;
    })
    .join('\n');
}

function unquote(text: string): string {
  try {
    const value: unknown = JSON.parse(text);
    return String(value);
  } catch {
    return text;
  }
}

/**
 * Turns yargs' refusal of a command line into an error that says what is wrong and how to fix it: unknown
 * options with the closest known one, a value outside an option's choices with the closest choice.
 */
export function explainRefusal(message: string, argv: readonly string[], options: string[], command: string | undefined, syntax?: string): GauntletError {
  const unknown = /^Unknown arguments?: (.+)$/s.exec(message);
  const choices = /^Invalid values?:\n([\s\S]+)$/.exec(message);
  let explained = message;
  if (unknown) explained = unknownArguments(unknown[1]!, argv, options, command);
  else if (choices) explained = invalidChoices(choices[1]!, argv) || message;
  else if (/^Not enough non-option arguments/.test(message) && syntax) explained = `${command} is missing its argument: gauntlet ${syntax}`;
  return usageError(`${explained}\n${helpHint(command)}`);
}

/** Two options that cannot go together, and why (said in the refusal). */
export interface Conflict {
  options: [string, string];
  why: string;
}

/** Refuses a line that gives both options of a conflict; an option counts as given when it has a value (not a default). */
export function refuseConflicts(args: Record<string, unknown>, conflicts: readonly Conflict[]): void {
  const given = (name: string) => args[name] !== undefined && args[name] !== false;
  for (const { options: [a, b], why } of conflicts) {
    if (given(a) && given(b)) throw usageError(`--${a} and --${b} cannot be used together: ${why}`);
  }
}

/**
 * Refuses options given to a sub-command they do nothing for (`bench load --size 50`), rather than ignore them.
 * `applies` maps each such option to the sub-commands that use it.
 */
export function refuseInapplicable(args: Record<string, unknown>, command: string, which: string, applies: Record<string, readonly string[]>): void {
  for (const [option, users] of Object.entries(applies)) {
    if (args[option] !== undefined && !users.includes(which)) {
      throw usageError(`--${option} does nothing for ${command} ${which}: it is for ${command} ${users.join(', ')}`);
    }
  }
}
