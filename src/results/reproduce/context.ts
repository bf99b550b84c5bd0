import type { FilePlaceholder } from './curl-command.js';
import { profileKeySecrets, variablePart } from './placeholders.js';
import type { ReproduceContext } from './reproduction.js';

/** What a run knows that a reproduction may name: the profile's key names, identities and CA (never their values). */
export interface ReproduceSources {
  keys: ReadonlyMap<string, string>;
  /** Client identities by name, with their files as the profile gives them. */
  identities: ReadonlyMap<string, { certPath: string; keyPath: string }>;
  caPath?: string;
}

export function reproduceContext(sources: ReproduceSources): ReproduceContext {
  const file = (variable: string, what: string, path: string | undefined): FilePlaceholder => ({ variable, meaning: path ? `${what} (the profile has ${path})` : what });
  return {
    known: profileKeySecrets(sources.keys),
    identity(name) {
      const files = sources.identities.get(name);
      const part = variablePart(name);
      return {
        cert: file(`GAUNTLET_CERT_${part}`, `the certificate file (PEM) of client identity '${name}'`, files?.certPath),
        key: file(`GAUNTLET_CERT_KEY_${part}`, `the private key file (PEM) of client identity '${name}'`, files?.keyPath),
      };
    },
    ...(sources.caPath ? { ca: file('GAUNTLET_CA', 'the CA certificate file that signs the server certificate', sources.caPath) } : {}),
  };
}
