import { isIP } from 'node:net';
import { clientFiles, PKI_FILES } from './layout.js';
import { CLIENT_ROLES, ROLE_DESCRIPTIONS } from './roles.js';

/**
 * A target profile naming every identity of the set, loadable as is (`-p profile.yaml --target <url>`), or whose
 * `tls` section can be copied into another profile (paths are relative to the profile file).
 */
export function profileFragment(hosts: string[], generatedAt: Date): string {
  const host = hosts[0]!;
  const authority = isIP(host) === 6 ? `[${host}]` : host;
  const width = Math.max(...CLIENT_ROLES.map((r) => r.length)) + 1;
  const identities = CLIENT_ROLES.map((role) => {
    const files = clientFiles(role);
    return `    ${`${role}:`.padEnd(width)} { cert: ${files.cert}, key: ${files.key} }   # ${ROLE_DESCRIPTIONS[role]}`;
  });
  return [
    `# Target profile written by \`gauntlet certs\` at ${generatedAt.toISOString()}. Paths are relative to this file.`,
    '# Use it as is (gauntlet run -p profile.yaml --target https://host:port), or copy its tls section into your',
    '# own profile and adjust the paths. The identity names are the roles the mtls check kind looks for.',
    `target: https://${authority}:8443`,
    'tls:',
    `  ca: ${PKI_FILES.rootCa}`,
    '  identities:',
    ...identities,
    'defaults:',
    '  identity: valid',
    '',
  ].join('\n');
}
