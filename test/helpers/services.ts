import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where an executable is on PATH (or at an absolute path), or undefined. */
export function findBinary(name: string): string | undefined {
  const candidates = name.startsWith('/') ? [name] : (process.env.PATH ?? '').split(delimiter).concat(['/usr/sbin', '/sbin']).map((dir) => join(dir, name));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

/**
 * For tests that need a Debian service binary (redis-server, nginx, chromium). Without it the caller skips
 * with a loud reason; with GAUNTLET_REQUIRE_SERVICES=1 (set by .ci/run) a missing binary fails the test file.
 */
export function requireService(binary: string, purpose: string, debianPackage = binary): string | undefined {
  const path = findBinary(binary);
  if (path) return path;
  const message = `${binary} not found: ${purpose} (apt-get install ${debianPackage})`;
  if (process.env.GAUNTLET_REQUIRE_SERVICES === '1') throw new Error(`GAUNTLET_REQUIRE_SERVICES=1 but ${message}`);
  console.warn(`SKIPPING: ${message}`);
  return undefined;
}
