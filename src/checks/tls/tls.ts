import type { SecureVersion } from 'node:tls';
import { classifyTransportError } from '../../engine/classify.js';
import { PERMISSIVE_CIPHERS, probeTls, type TlsProbeOptions, type TlsProbeResult } from '../../engine/tls-probe.js';
import type { Evidence } from '../../results/model.js';
import { parseDuration } from '../../util/duration.js';
import { deadlineOf, sequential } from '../bounds.js';
import { narrowListed } from '../cases.js';
import { DEFAULT_REJECT_STATUS } from '../rejection.js';
import { validateRequest } from '../request.js';
import type { CheckContext, CheckKind, CheckOutcome, SpecIssue } from '../types.js';
import { chainFacts, evaluateCertificates } from './evaluate-certificates.js';
import { evaluateClientCertificate, observeClientCertificateMode } from './evaluate-client-cert.js';
import { evaluateLegacy, evaluateModern, PROBED_VERSIONS, versionVerdict, type VersionResult } from './evaluate-versions.js';
import { plainHttpOutcomes } from './plain-http.js';
import { rawHttpRequest, tlsTarget } from './target.js';
import { DEFAULT_TLS_PROBES, tlsProperties, type TlsProbeName, type TlsSpec } from './spec.js';

const TITLES: Record<TlsProbeName, (spec: TlsSpec, host: string) => string> = {
  chain: (_s, host) => `the server certificate chain is valid for ${host} against the configured CA`,
  expiry: (s) => `the server certificate is valid for at least ${s.minDaysToExpiry ?? 30} more days`,
  'key-size': (s) => `the server key is at least RSA ${s.minKeyBits?.rsa ?? 2048} or EC ${s.minKeyBits?.ec ?? 256} bits`,
  signature: () => 'no certificate in the served chain is signed with SHA-1 (or MD5)',
  'legacy-versions': () => 'TLS 1.0 and TLS 1.1 are refused',
  'modern-versions': () => 'TLS 1.2 or TLS 1.3 is offered',
  'client-certificate': (s) =>
    s.clientCertificate === 'required' ? 'the server requires a client certificate' : s.clientCertificate === 'optional' ? 'the server asks for an optional client certificate' : 'the server does not ask for a client certificate',
};

function probesOf(spec: TlsSpec): TlsProbeName[] {
  return spec.probes ?? (spec.clientCertificate ? [...DEFAULT_TLS_PROBES, 'client-certificate'] : DEFAULT_TLS_PROBES);
}

const CERTIFICATE_PROBES = ['chain', 'expiry', 'key-size', 'signature'] as const;

/** How many TLS connections a spec makes: one for the certificates, one per version, one without a certificate. */
function connectionsOf(spec: TlsSpec): number {
  const wanted = new Set(probesOf(spec));
  const certificates = CERTIFICATE_PROBES.some((p) => wanted.has(p)) ? 1 : 0;
  const versions = wanted.has('legacy-versions') || wanted.has('modern-versions') || wanted.has('client-certificate') ? PROBED_VERSIONS.length : 0;
  const client = wanted.has('client-certificate') && spec.clientCertificate ? 1 : 0;
  return certificates + versions + client;
}

/** A probe the server let time out without sending a byte: it is not answering, so the next probes are not sent. */
function silent(probe: TlsProbeResult): boolean {
  return probe.timedOut && probe.flight.bytes === 0;
}

/** Failures of the probe connection itself, reported on every case that needed it. */
function probeErrored(probe: TlsProbeResult, what: string): Omit<CheckOutcome, 'idSuffix' | 'title' | 'evidence'> {
  const error = probe.error ?? { code: 'UNKNOWN', message: 'the connection closed during the handshake' };
  const transport = classifyTransportError(Object.assign(new Error(error.message), { code: error.code }), { tls: true, responseStarted: false });
  return { status: 'errored', message: `${what}: ${transport.class}: ${error.message} (${error.code})`, transport: transport.class };
}

export const tlsKind: CheckKind<TlsSpec> = {
  kind: 'tls',
  description: 'The server side of TLS: chain, expiry, key size, signatures, protocol versions, client-certificate mode.',
  properties: tlsProperties,

  defaultTitle: (spec) => `TLS of the server: ${probesOf(spec).join(', ')}`,

  bounds: (spec, context) => sequential(connectionsOf(spec), deadlineOf(spec.timeout, context)),

  // One case per probe, in the order `probes:` lists them, titled with the name the certificate must be valid for.
  plannedCases(spec, context) {
    const host = tlsTarget(context.profile, spec.host).verifyName;
    return [...new Set(probesOf(spec))].map((name) => ({ suffix: name, title: TITLES[name](spec, host) }));
  },

  narrowToCases: narrowListed<TlsSpec>('probes'),

  validate(spec, context) {
    const issues: SpecIssue[] = [];
    if (spec.probes?.includes('client-certificate') && !spec.clientCertificate) {
      issues.push({ path: ['probes'], code: 'E_MISSING_FIELD', message: "the client-certificate probe needs 'clientCertificate: none | optional | required'" });
    }
    if (spec.identity !== undefined) issues.push(...validateRequest({ identity: spec.identity }, context, []));
    return issues;
  },

  async run(ctx, spec) {
    const target = tlsTarget(ctx.profile, spec.host);
    const wanted = new Set(probesOf(spec));
    const outcomes = new Map<TlsProbeName, Omit<CheckOutcome, 'idSuffix' | 'title' | 'evidence'>>();
    // Each case carries the evidence of the probe it came from.
    const evidence = { certificate: { notes: [] as string[], data: {} as Record<string, unknown> }, versions: { data: {} as Record<string, unknown> }, client: { data: {} as Record<string, unknown> } };
    const timeoutMs = (spec.timeout === undefined ? undefined : parseDuration(spec.timeout)) ?? ctx.options.timeoutMs;
    const base: TlsProbeOptions = { host: target.host, port: target.port, servername: target.servername, ca: ctx.profile.tls.ca, timeoutMs, signal: ctx.signal };

    const title = (name: TlsProbeName) => TITLES[name](spec, target.verifyName);
    if (target.plain) {
      const plain = await plainHttpOutcomes(ctx, [...wanted], spec.path ?? '/', timeoutMs);
      return [...wanted].map((name) => ({ idSuffix: name, title: title(name), ...plain.get(name)! }));
    }
    if (target.error) {
      return [...wanted].map((name) => ({ idSuffix: name, title: title(name), status: 'errored' as const, message: target.error!, evidence: {} }));
    }

    // Set once a probe got no byte at all within its deadline: the probes after it are not sent.
    let unanswered: string | undefined;
    const notProbed = () => `not probed: the server did not answer an earlier probe within ${timeoutMs}ms (${unanswered})`;

    const certificateCases = CERTIFICATE_PROBES.filter((p) => wanted.has(p));
    if (certificateCases.length) {
      ctx.progress('reading the server certificate chain');
      const identity = identityFor(ctx, spec);
      const probe = await probeTls({ ...base, ciphers: PERMISSIVE_CIPHERS, cert: identity?.cert, key: identity?.key, passphrase: identity?.passphrase });
      evidence.certificate.notes.push(`chain probe: ${probe.protocol ?? 'no handshake'}${identity ? ` with identity ${identity.name}` : ''}`);
      if (probe.handshakeCompleted && probe.peerChain?.length) {
        evidence.certificate.data.chain = chainFacts(probe);
        const limits = { host: target.verifyName, minDaysToExpiry: spec.minDaysToExpiry ?? 30, minRsaBits: spec.minKeyBits?.rsa ?? 2048, minEcBits: spec.minKeyBits?.ec ?? 256, now: new Date() };
        for (const [name, outcome] of evaluateCertificates(probe, wanted, limits)) outcomes.set(name, outcome);
      } else {
        const failed = probeErrored(probe, 'no TLS handshake to read the certificate from');
        for (const name of certificateCases) outcomes.set(name, failed);
        if (silent(probe)) unanswered = 'the chain probe';
      }
    }

    let offered: SecureVersion[] = [];
    if (wanted.has('legacy-versions') || wanted.has('modern-versions') || wanted.has('client-certificate')) {
      const verdicts = new Map<SecureVersion, VersionResult>();
      for (const version of PROBED_VERSIONS) {
        if (unanswered) {
          verdicts.set(version, { verdict: 'unreachable', detail: `${version}: ${notProbed()}`, transport: 'timeout' });
          continue;
        }
        ctx.progress(`probing ${version}`);
        const probe = await probeTls({ ...base, minVersion: version, maxVersion: version, ciphers: PERMISSIVE_CIPHERS, untilServerHello: true });
        verdicts.set(version, versionVerdict(version, probe));
        if (silent(probe)) unanswered = `the ${version} probe`;
      }
      evidence.versions.data.versions = Object.fromEntries(verdicts);
      offered = PROBED_VERSIONS.filter((v) => verdicts.get(v)!.verdict === 'offered');
      if (wanted.has('legacy-versions')) outcomes.set('legacy-versions', evaluateLegacy(verdicts));
      if (wanted.has('modern-versions')) outcomes.set('modern-versions', evaluateModern(verdicts));
    }

    if (wanted.has('client-certificate') && spec.clientCertificate && unanswered) {
      outcomes.set('client-certificate', { status: 'errored', message: notProbed(), transport: 'timeout' });
    } else if (wanted.has('client-certificate') && spec.clientCertificate) {
      ctx.progress('connecting without a client certificate');
      // TLS 1.2 when offered: its CertificateRequest is readable on the wire, TLS 1.3 encrypts it.
      const maxVersion: SecureVersion | undefined = offered.includes('TLSv1.2') ? 'TLSv1.2' : undefined;
      const request = rawHttpRequest(ctx, spec.path ?? '/');
      const probe = await probeTls({ ...base, maxVersion, httpRequest: request });
      const observed = observeClientCertificateMode(probe, spec.rejectStatus ?? DEFAULT_REJECT_STATUS);
      evidence.client.data.clientCertificate = { mode: observed.mode ?? null, detail: observed.detail, protocol: probe.protocol ?? probe.flight.serverHelloVersion ?? null };
      outcomes.set('client-certificate', evaluateClientCertificate(spec.clientCertificate, observed));
    }

    const evidenceOf = (name: TlsProbeName): Evidence =>
      name === 'client-certificate' ? evidence.client : name.endsWith('versions') ? evidence.versions : evidence.certificate;
    return [...wanted].map((name) => ({
      idSuffix: name,
      title: title(name),
      evidence: evidenceOf(name),
      ...(outcomes.get(name) ?? { status: 'errored' as const, message: 'not probed' }),
    }));
  },
};

function identityFor(ctx: CheckContext, spec: TlsSpec) {
  const name = spec.identity ?? ctx.profile.defaults.identity;
  if (name === undefined || name === 'none') return undefined;
  return ctx.profile.tls.identities.get(name);
}
