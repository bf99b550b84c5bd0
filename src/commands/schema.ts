import { join } from 'node:path';
import { buildBaselineSchema } from '../baseline/schema.js';
import { CHECK_KINDS } from '../checks/index.js';
import { writeFileAtomic } from '../report/write-file.js';
import { buildProfileSchema, buildScenarioSchema } from '../scenario/schema.js';
import { EXIT } from '../util/errors.js';
import { packageRoot } from '../util/package-root.js';
import type { CommandIO } from './io.js';

export const SCHEMA_FILES = { scenario: 'scenario.schema.json', profile: 'profile.schema.json', baseline: 'baseline.schema.json' } as const;

export type SchemaName = keyof typeof SCHEMA_FILES;

const BUILDERS: Record<SchemaName, () => unknown> = {
  scenario: () => buildScenarioSchema(CHECK_KINDS),
  profile: () => buildProfileSchema(CHECK_KINDS),
  baseline: buildBaselineSchema,
};

export function schemaText(which: SchemaName): string {
  return `${JSON.stringify(BUILDERS[which](), null, 2)}\n`;
}

/** Prints the JSON Schema; with --write, refreshes the copies kept in schemas/ for editors. */
export function schemaCommand(args: { profile?: boolean; write?: boolean }, io: CommandIO): number {
  if (args.write) {
    for (const which of Object.keys(SCHEMA_FILES) as SchemaName[]) {
      const file = writeFileAtomic(join(packageRoot(), 'schemas', SCHEMA_FILES[which]), schemaText(which));
      io.stderr.write(`wrote ${file}\n`);
    }
    return EXIT.ok;
  }
  io.stdout.write(schemaText(args.profile ? 'profile' : 'scenario'));
  return EXIT.ok;
}
