import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { JsonPath } from './source-map.js';
import type { LoadTimeProblem } from './variables.js';

/**
 * A certificate or key file that exists but cannot be used would otherwise fail at the first connection, deep in a
 * check. Checked at load time instead, naming the path. The messages never quote the file (it may hold a key).
 */
export function checkCertificate(pem: string, path: string, at: JsonPath, problems: LoadTimeProblem[]): void {
  try {
    new X509Certificate(pem);
  } catch {
    problems.push({ path: at, code: 'E_BAD_CERT', message: `${path} is not a PEM or DER X.509 certificate` });
  }
}

export function checkPrivateKey(pem: string, passphrase: string | undefined, path: string, at: JsonPath, problems: LoadTimeProblem[]): void {
  try {
    createPrivateKey({ key: pem, passphrase });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ERR_MISSING_PASSPHRASE' ? 'it is encrypted and no passphrase is given' : passphrase === undefined ? 'it is not a PEM or DER private key' : 'it is not a private key, or the passphrase does not open it';
    problems.push({ path: at, code: 'E_BAD_KEY', message: `cannot use the private key ${path}: ${why}` });
  }
}
