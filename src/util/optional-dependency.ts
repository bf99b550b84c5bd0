import { createRequire } from 'node:module';
import { GauntletError } from './errors.js';

const require = createRequire(import.meta.url);

/**
 * Loads a dependency only the reference server and the benchmarks use (better-sqlite3, a native build, and
 * ioredis), when they first need it: `run`, `validate`, `init`, `schema` and `report` never load it, so they
 * work where the native build failed. Synchronous on purpose (both are CommonJS), so the code that needs one
 * keeps its synchronous shape. Without the package, says what needs it and how to get it.
 */
export function requireOptional<T>(name: string, neededFor: string): T {
  try {
    return require(name) as T;
  } catch (error) {
    throw missingDependency(name, neededFor, error);
  }
}

/** The error for a dependency that is not installed, or whose native part did not build (`cause`). */
export function missingDependency(name: string, neededFor: string, cause: unknown): GauntletError {
  const reason = (cause as { code?: string }).code === 'MODULE_NOT_FOUND' ? 'is not installed' : `cannot be loaded (${firstLine(cause)})`;
  return new GauntletError(
    'E_MISSING_DEPENDENCY',
    `${neededFor} needs the package ${name}, which ${reason}: install it with 'npm install ${name}' (checking an API with 'gauntlet run' does not need it)`,
  );
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0]!;
}
