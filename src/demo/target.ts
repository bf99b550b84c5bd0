import { createReferenceServer, type ReferenceServer } from '../reference/server/create-server.js';
import type { ReferenceServerOptions } from '../reference/server/options.js';
import type { SecretRegistry } from '../results/secrets.js';
import { profileFromTarget } from '../scenario/load-profile.js';
import type { TargetProfile } from '../scenario/types.js';
import { addProtections } from './protections.js';

export interface DemoTarget {
  server: ReferenceServer;
  profile: TargetProfile;
  close(): Promise<void>;
}

/**
 * The reference server as the demo runs it, and the target profile that describes it. Each protection adds its
 * setup here: what the server is given before it starts, and what the profile learns once it runs.
 */
export async function startDemoTarget(flaws: string[], secrets: SecretRegistry): Promise<DemoTarget> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const options: ReferenceServerOptions = { flaws };
  const describeProtections = addProtections(options, secrets);

  const server = await createReferenceServer(options);
  cleanups.unshift(() => server.close());
  const profile = profileFromTarget(server.url);
  describeProtections(profile);

  return {
    server,
    profile,
    close: async () => {
      for (const cleanup of cleanups) await cleanup();
    },
  };
}
