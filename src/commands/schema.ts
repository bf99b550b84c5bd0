import { join } from 'node:path';
import { CHECK_KINDS } from '../checks/index.js';
import { writeFileAtomic } from '../report/write-file.js';
import { buildProfileSchema, buildScenarioSchema } from '../scenario/schema.js';
import { EXIT } from '../util/errors.js';
import { packageRoot } from '../util/package-root.js';
import type { CommandIO } from './io.js';

export const SCHEMA_FILES = { scenario: 'scenario.schema.json', profile: 'profile.schema.json' } as const;

export function schemaText(which: 'scenario' | 'profile'): string {
  const schema = which === 'profile' ? buildProfileSchema(CHECK_KINDS) : buildScenarioSchema(CHECK_KINDS);
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** Prints the JSON Schema; with --write, refreshes the copies kept in schemas/ for editors. */
export function schemaCommand(args: { profile?: boolean; write?: boolean }, io: CommandIO): number {
  if (args.write) {
    for (const which of ['scenario', 'profile'] as const) {
      const file = writeFileAtomic(join(packageRoot(), 'schemas', SCHEMA_FILES[which]), schemaText(which));
      io.stderr.write(`wrote ${file}\n`);
    }
    return EXIT.ok;
  }
  io.stdout.write(schemaText(args.profile ? 'profile' : 'scenario'));
  return EXIT.ok;
}
