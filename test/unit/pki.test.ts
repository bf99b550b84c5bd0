import { createPublicKey, createSign, createVerify, X509Certificate } from 'node:crypto';
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCrlPem } from '../../src/pki/crl.js';
import { ensurePki } from '../../src/pki/ensure-pki.js';
import { clientFiles, PKI_FILES } from '../../src/pki/layout.js';
import { generatePki, type GeneratedPki } from '../../src/pki/matrix.js';
import { CLIENT_ROLES, type ClientRole } from '../../src/pki/roles.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

const NOW = new Date('2026-03-01T12:00:00Z');
const DAY = 86_400_000;
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

describe('the generated PKI matrix', () => {
  let pki: GeneratedPki;
  const file = (name: string) => pki.files.find((f) => f.name === name)!.content;
  const cert = (name: string) => new X509Certificate(file(name));
  const client = (role: ClientRole) => cert(clientFiles(role).cert);

  beforeAll(async () => {
    pki = await generatePki({ hosts: ['localhost', '127.0.0.1'], now: NOW });
  });

  it('chains the server and the good clients to the root through the intermediate', () => {
    const root = cert(PKI_FILES.rootCa);
    const intermediate = cert(PKI_FILES.intermediateCa);
    expect(root.verify(root.publicKey)).toBe(true);
    expect(intermediate.checkIssued(root) && intermediate.verify(root.publicKey)).toBe(true);
    expect(intermediate.ca).toBe(true);
    for (const role of ['valid', 'valid-2', 'not-allowed', 'expired', 'not-yet-valid', 'revoked', 'server-eku-only'] as const) {
      expect(client(role).checkIssued(intermediate) && client(role).verify(intermediate.publicKey), role).toBe(true);
    }
    const server = cert(PKI_FILES.serverCert);
    expect(server.verify(intermediate.publicKey)).toBe(true);
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.keyUsage).toEqual([SERVER_AUTH]);
    // server.crt carries the intermediate after the leaf, for clients that trust only the root.
    expect(file(PKI_FILES.serverCert)).toContain(file(PKI_FILES.intermediateCa).trim());
  });

  it('gives each negative role exactly one defect and the identity of valid', () => {
    const valid = client('valid');
    const intermediate = cert(PKI_FILES.intermediateCa);
    for (const role of CLIENT_ROLES.filter((r) => !['valid-2', 'not-allowed'].includes(r))) {
      expect(client(role).subject, role).toBe(valid.subject);
      expect(client(role).subjectAltName, role).toBe(valid.subjectAltName);
    }
    expect(client('valid-2').subject).toContain('CN=client-valid-2');
    expect(client('valid-2').subjectAltName).toBe('URI:spiffe://gauntlet.test/client/valid-2');
    expect(client('not-allowed').subject).toContain('CN=client-not-allowed');

    expect(new Date(client('expired').validTo).getTime()).toBeLessThan(NOW.getTime());
    expect(new Date(client('not-yet-valid').validFrom).getTime()).toBeGreaterThan(new Date(pki.manifest.usableUntil).getTime());
    expect(client('valid').keyUsage).toEqual([CLIENT_AUTH]);
    expect(client('server-eku-only').keyUsage).toEqual([SERVER_AUTH]);

    const untrusted = client('untrusted');
    expect(untrusted.checkIssued(intermediate)).toBe(false);
    expect(untrusted.verify(cert(PKI_FILES.unrelatedCa).publicKey)).toBe(true);
    const selfSigned = client('self-signed');
    expect(selfSigned.issuer).toBe(selfSigned.subject);
    expect(selfSigned.verify(selfSigned.publicKey)).toBe(true);
  });

  it('pairs the wrong-key certificate with a key that claims its public key but cannot sign for it', () => {
    const certificate = client('wrong-key');
    expect(certificate.fingerprint256).toBe(client('valid').fingerprint256);
    const keyPem = file(clientFiles('wrong-key').key);
    // Same public half, so client libraries load the pair...
    expect(createPublicKey(keyPem).export({ format: 'jwk' })).toEqual(certificate.publicKey.export({ format: 'jwk' }));
    // ...but its signatures do not verify: the server must refuse the handshake's CertificateVerify.
    const signature = createSign('sha256').update('proof of possession').sign(keyPem);
    expect(createVerify('sha256').update('proof of possession').verify(certificate.publicKey, signature)).toBe(false);
    const validKey = file(clientFiles('valid').key);
    const good = createSign('sha256').update('proof of possession').sign(validKey);
    expect(createVerify('sha256').update('proof of possession').verify(certificate.publicKey, good)).toBe(true);
    // Its secret half is nobody's: no other identity's certificate verifies what it signs.
    for (const role of CLIENT_ROLES.filter((r) => r !== 'wrong-key' && r !== 'self-signed' && r !== 'valid')) {
      expect(createVerify('sha256').update('proof of possession').verify(client(role).publicKey, signature), role).toBe(false);
    }
  });

  it('writes a signed CRL per CA, the intermediate one listing the revoked certificate', () => {
    const rootCrl = parseCrlPem(file(PKI_FILES.rootCrl));
    const intermediateCrl = parseCrlPem(file(PKI_FILES.intermediateCrl));
    expect(createVerify('sha256').update(rootCrl.tbsDer).verify(cert(PKI_FILES.rootCa).publicKey, rootCrl.signature)).toBe(true);
    expect(createVerify('sha256').update(intermediateCrl.tbsDer).verify(cert(PKI_FILES.intermediateCa).publicKey, intermediateCrl.signature)).toBe(true);
    expect(rootCrl.revokedSerials).toEqual([]);
    expect(intermediateCrl.revokedSerials).toEqual([client('revoked').serialNumber.toLowerCase()]);
    expect(intermediateCrl.nextUpdate.toISOString()).toBe(pki.manifest.usableUntil);
    expect(file(PKI_FILES.crlBundle)).toBe(file(PKI_FILES.rootCrl) + file(PKI_FILES.intermediateCrl));
  });

  it('names every role in the profile fragment and keeps secrets out of the manifest', () => {
    const profile = file(PKI_FILES.profile);
    for (const role of CLIENT_ROLES) expect(profile).toContain(`{ cert: client-${role}.crt, key: client-${role}.key }`);
    const manifest = JSON.stringify(pki.manifest);
    for (const secret of pki.files.filter((f) => f.secret)) expect(manifest).not.toContain(secret.content.split('\n')[1]);
    expect(pki.files.filter((f) => f.secret).map((f) => f.name).sort()).toEqual(
      [PKI_FILES.serverKey, ...CLIENT_ROLES.map((r) => clientFiles(r).key)].sort(),
    );
  });
});

describe('ensurePki', () => {
  let dir: TempDir;
  beforeAll(() => {
    dir = tempDir('gauntlet-ensure-pki-');
  });
  afterAll(() => dir.remove());

  it('writes keys with mode 0600, reuses a valid set, and regenerates when forced, for other hosts, or near expiry', async () => {
    const out = join(dir.path, 'pki');
    const first = await ensurePki({ dir: out, hosts: ['localhost', '127.0.0.1'], now: NOW });
    expect(first.action).toBe('generated');
    for (const [name, entry] of Object.entries(first.manifest.files)) {
      expect(statSync(join(out, name)).mode & 0o777, name).toBe(entry.secret ? 0o600 : 0o644);
    }
    const fingerprint = first.manifest.identities.valid.fingerprint256;

    const again = await ensurePki({ dir: out, hosts: ['127.0.0.1', 'localhost'], now: new Date(NOW.getTime() + 30 * DAY) });
    expect(again).toMatchObject({ action: 'reused' });
    expect(again.manifest.identities.valid.fingerprint256).toBe(fingerprint);

    const nearExpiry = await ensurePki({ dir: out, hosts: ['localhost', '127.0.0.1'], now: new Date(NOW.getTime() + 320 * DAY) });
    expect(nearExpiry.action).toBe('generated');
    expect(nearExpiry.reason).toContain('under 60 days left');

    const otherHosts = await ensurePki({ dir: out, hosts: ['api.test'], now: NOW });
    expect(otherHosts.action).toBe('generated');
    expect(new X509Certificate(readFileSync(join(out, PKI_FILES.serverCert))).checkHost('api.test')).toBe('api.test');

    const forced = await ensurePki({ dir: out, hosts: ['api.test'], now: NOW, force: true });
    expect(forced).toMatchObject({ action: 'generated', reason: '--force' });
    expect(forced.manifest.identities.valid.fingerprint256).not.toBe(otherHosts.manifest.identities.valid.fingerprint256);
  });

  it('refuses to overwrite files it did not write, or that changed, unless forced', async () => {
    const foreign = join(dir.path, 'foreign');
    dir.file('foreign/ca.crt', 'somebody else\n');
    await expect(ensurePki({ dir: foreign, hosts: ['localhost'], now: NOW })).rejects.toMatchObject({ code: 'E_PKI_EXISTS' });
    expect(readFileSync(join(foreign, 'ca.crt'), 'utf8')).toBe('somebody else\n');

    const out = join(dir.path, 'edited');
    await ensurePki({ dir: out, hosts: ['localhost'], now: NOW });
    appendFileSync(join(out, PKI_FILES.caChain), '# edited\n');
    await expect(ensurePki({ dir: out, hosts: ['localhost'], now: NOW })).rejects.toThrow(/ca-chain\.crt changed.*--force/);
    writeFileSync(join(out, 'unrelated.txt'), 'kept');
    expect((await ensurePki({ dir: out, hosts: ['localhost'], now: NOW, force: true })).action).toBe('generated');
    expect(readFileSync(join(out, 'unrelated.txt'), 'utf8')).toBe('kept');
  });
});
