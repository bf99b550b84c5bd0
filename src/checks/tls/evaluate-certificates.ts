import { checkServerIdentity } from 'node:tls';
import type { TlsProbeResult } from '../../engine/tls-probe.js';
import type { CheckOutcome } from '../types.js';
import { certificateFacts, type CertificateFacts } from './certificate-facts.js';
import type { TlsProbeName } from './spec.js';

const DAY = 86_400_000;

export interface CertificateThresholds {
  host: string;
  minDaysToExpiry: number;
  minRsaBits: number;
  minEcBits: number;
  now: Date;
}

type Outcome = Omit<CheckOutcome, 'idSuffix' | 'title' | 'evidence'>;

/** The chain, expiry, key-size and signature cases, from one completed handshake. */
export function evaluateCertificates(probe: TlsProbeResult, wanted: Set<TlsProbeName>, limits: CertificateThresholds): Map<TlsProbeName, Outcome> {
  const outcomes = new Map<TlsProbeName, Outcome>();
  const chain = (probe.peerChain ?? []).map(certificateFacts);
  const served = chain.filter((c) => !c.selfSigned);
  const leaf = chain[0]!;

  if (wanted.has('chain')) {
    const identityError = probe.peer ? checkServerIdentity(limits.host, probe.peer) : new Error('no certificate');
    const problems = [
      probe.authorized ? undefined : `the chain does not verify against the configured CA (${probe.authorizationError ?? 'unknown error'})`,
      identityError ? `the certificate is not valid for ${limits.host} (${identityError.message})` : undefined,
    ].filter((p): p is string => p !== undefined);
    outcomes.set('chain', problems.length
      ? { status: 'failed', message: problems.join('; ') }
      : { status: 'passed', message: `${leaf.subject} chains to the configured CA and is valid for ${limits.host}` });
  }
  if (wanted.has('expiry')) {
    const soonest = [...(served.length ? served : [leaf])].sort((a, b) => a.notAfter.getTime() - b.notAfter.getTime())[0]!;
    const days = Math.floor((soonest.notAfter.getTime() - limits.now.getTime()) / DAY);
    const when = `${soonest.subject} expires ${soonest.notAfter.toISOString().slice(0, 10)}`;
    outcomes.set('expiry', days >= limits.minDaysToExpiry
      ? { status: 'passed', message: `${when}, in ${days} days (threshold ${limits.minDaysToExpiry})` }
      : { status: 'failed', message: days < 0 ? `${when}: already expired` : `${when}, in ${days} days: under the ${limits.minDaysToExpiry}-day threshold` });
  }
  if (wanted.has('key-size')) outcomes.set('key-size', judgeKey(leaf, limits));
  if (wanted.has('signature')) {
    const weak = served.filter((c) => c.weakSignature);
    outcomes.set('signature', weak.length
      ? { status: 'failed', message: weak.map((c) => `${c.subject} is signed with ${c.signatureName}`).join('; ') }
      : { status: 'passed', message: `signatures: ${served.map((c) => c.signatureName).join(', ') || 'none besides the trust anchor'}` });
  }
  return outcomes;
}

function judgeKey(leaf: CertificateFacts, limits: CertificateThresholds): Outcome {
  const describe = `${leaf.keyType.toUpperCase()} ${leaf.keyBits ?? '?'} bits${leaf.curve ? ` (${leaf.curve})` : ''}`;
  const minimum = leaf.keyType === 'rsa' || leaf.keyType === 'rsa-pss' || leaf.keyType === 'dsa' ? limits.minRsaBits : leaf.keyType === 'ec' ? limits.minEcBits : undefined;
  if (leaf.keyType === 'ed25519' || leaf.keyType === 'ed448') return { status: 'passed', message: `the server key is ${leaf.keyType}` };
  if (minimum === undefined || leaf.keyBits === undefined) return { status: 'failed', message: `the server key is ${describe}: not a key type or size this check knows to be strong` };
  return leaf.keyBits >= minimum
    ? { status: 'passed', message: `the server key is ${describe} (minimum ${minimum})` }
    : { status: 'failed', message: `the server key is ${describe}: under the minimum of ${minimum}` };
}

export function chainFacts(probe: TlsProbeResult): Record<string, unknown>[] {
  return (probe.peerChain ?? []).map((der) => {
    const facts = certificateFacts(der);
    return { ...facts, notBefore: facts.notBefore.toISOString(), notAfter: facts.notAfter.toISOString() };
  });
}
