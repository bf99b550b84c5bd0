import type { AlgorithmName } from '../reference/limiters/algorithms/index.js';
import { assertKnownFlaws, createReferenceServer, type ReferenceServer } from '../reference/server/create-server.js';
import type { ReferenceServerOptions } from '../reference/server/options.js';
import type { SecretRegistry } from '../results/secrets.js';
import { profileFromTarget } from '../scenario/load-profile.js';
import type { TargetProfile } from '../scenario/types.js';
import { demoKeyOptions, provisionDemoKeys } from './keys.js';
import { addDemoIdentities, createDemoPki } from './mtls-setup.js';
import { addRateLimiting, DEMO_LOAD_KEY, DEMO_RATE_LIMIT_KEYS } from './rate-limits.js';

/** A sliding log: exact, so the demo's boundary probe passes; `gauntlet demo --limiter` picks another. */
export const DEMO_ALGORITHM: AlgorithmName = 'sliding-log';
import { addProtections, DEMO_ORIGINS } from './protections.js';

/**
 * What the built-in scenarios need to know of the reference API: its routes (vars), the origins it serves, and
 * that the demo may create and delete objects on it (a server of its own, thrown away after the run).
 */
function describeRoutes(profile: TargetProfile): void {
  profile.vars = {
    ...profile.vars,
    readPath: '/api/data',
    protectedPath: '/api/users/1',
    bearerAccepted: 'yes',
    limitedPath: '/api/search?q=a',
    createPath: '/api/users',
    restrictedPath: '/api/admin/stats',
    signedPath: '/api/users/3',
    tamperedPath: '/api/users/2',
    versionedUrl: '/api/v{version}/data',
  };
  profile.extensions.cors = { allowedOrigins: DEMO_ORIGINS, credentials: true };
  profile.mutations = 'allowed';
}

export interface DemoTarget {
  server: ReferenceServer;
  profile: TargetProfile;
  close(): Promise<void>;
}

/**
 * The reference server as the demo runs it, and the target profile that describes it. Each protection adds its
 * setup here: what the server is given before it starts, and what the profile learns once it runs.
 */
export async function startDemoTarget(flaws: string[], secrets: SecretRegistry, limiter: AlgorithmName = DEMO_ALGORITHM): Promise<DemoTarget> {
  assertKnownFlaws(flaws); // before any setup work
  const cleanups: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const cleanup of cleanups) await cleanup();
  };
  const options: ReferenceServerOptions = { flaws };
  const describeProtections = addProtections(options, secrets);

  // Rate limiting on /api/search, keyed on the API key.
  const rateLimiting = await addRateLimiting(options, new Set(flaws), limiter);
  cleanups.push(() => rateLimiting.close());

  // API keys: an in-memory store with a bootstrap admin key only this process knows.
  const keys = demoKeyOptions(secrets);
  options.keys = keys.options;

  // mTLS: HTTPS with client certificates required, from a PKI generated for this run only.
  const pki = await createDemoPki();
  cleanups.push(() => pki.remove());
  options.mtls = pki.serverOptions;

  let server: ReferenceServer;
  try {
    server = await createReferenceServer(options);
  } catch (error) {
    await close();
    throw error;
  }
  cleanups.unshift(() => server.close());
  const profile = profileFromTarget(server.url);
  describeRoutes(profile);
  addDemoIdentities(profile, pki, secrets);
  describeProtections(profile);
  rateLimiting.describe(profile);

  try {
    // API keys (after the TLS setup, so the admin calls present the demo's client certificate): the scenario
    // keys, made through the admin API.
    await provisionDemoKeys(profile, keys, secrets, [...DEMO_RATE_LIMIT_KEYS, DEMO_LOAD_KEY]);
  } catch (error) {
    await close();
    throw error;
  }

  return { server, profile, close };
}
