import { CHECK_KINDS } from '../checks/index.js';
import { SecretRegistry } from '../results/secrets.js';
import { formatNote } from '../scenario/diagnostics.js';
import { loadScenarios } from '../scenario/load-scenarios.js';
import { EXIT } from '../util/errors.js';
import { profileForNames, resolveProfile, scenarioPaths } from './execute-run.js';
import type { CommandIO } from './io.js';

/** Loads and checks scenario files without sending anything. With a profile, names are checked against it. */
export function validateCommand(args: { paths: string[]; profile?: string; target?: string; vars: Record<string, string> }, io: CommandIO): number {
  const secrets = new SecretRegistry();
  const profile = args.profile || args.target ? resolveProfile({ profilePath: args.profile, target: args.target }, secrets) : undefined;
  // validate sends nothing, so a profile among the scenarios is only noted, and its shape checked.
  const scenarios = loadScenarios(scenarioPaths(args.paths, io), {
    kinds: CHECK_KINDS,
    profile: profile && profileForNames(profile),
    vars: args.vars,
    profileFile: args.profile,
    otherProfiles: 'skip',
    onNote: (note) => io.stderr.write(`${formatNote(note)}\n`),
  });
  const checks = scenarios.reduce((n, s) => n + s.checks.length, 0);
  io.stdout.write(`ok: ${scenarios.length} scenario(s), ${checks} check(s) valid${profile ? ` against ${profile.file ?? profile.baseUrl}` : ''}\n`);
  return EXIT.ok;
}
