import { probeTls } from '../../engine/tls-probe.js';
import type { CheckStatus, TransportClass } from '../../results/model.js';
import { versionVerdict } from '../tls/evaluate-versions.js';
import { tlsTarget } from '../tls/target.js';
import type { CheckContext } from '../types.js';
import type { MtlsVersion } from './spec.js';

/** Whether the matrix can run over a version; when not, what each of its cases is instead, and why. */
export type VersionAvailability =
  | { offered: true }
  | { offered: false; status: Extract<CheckStatus, 'skipped' | 'errored'>; message: string; transport?: TransportClass };

/**
 * One ClientHello per version (min = max = version), read as far as the server's answer: the version runs when
 * the ServerHello picks it. A version the server refuses is skipped for every case (it cannot let a bad
 * certificate in); one our client cannot offer, or a server that does not answer, makes those cases errored.
 */
export async function versionAvailability(ctx: CheckContext, version: MtlsVersion, timeoutMs: number): Promise<VersionAvailability> {
  const target = tlsTarget(ctx.profile, undefined);
  const probe = await probeTls({
    host: target.host,
    port: target.port,
    servername: target.servername,
    ca: ctx.profile.tls.ca,
    minVersion: version,
    maxVersion: version,
    untilServerHello: true,
    timeoutMs,
    signal: ctx.signal,
  });
  const result = versionVerdict(version, probe);
  // The detail names the version ("TLSv1.2 refused (alert protocol_version)"); the case's message groups by version.
  const inner = /\((.*)\)$/.exec(result.detail)?.[1] ?? result.detail;
  switch (result.verdict) {
    case 'offered':
      return { offered: true };
    case 'refused':
      return { offered: false, status: 'skipped', message: `not offered by the server (${inner})` };
    case 'untestable':
      return { offered: false, status: 'errored', message: `not tested: this client cannot offer it (${inner})` };
    case 'unreachable':
      return { offered: false, status: 'errored', message: `not tested: ${result.detail.replace(/^TLSv[\d.]+: /, '')}`, ...(result.transport ? { transport: result.transport } : {}) };
  }
}
