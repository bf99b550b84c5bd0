import type { CheckStatus, Exchange, TransportClass } from '../../results/model.js';
import type { Refusal } from '../rejection.js';
import type { CheckOutcome } from '../types.js';
import type { MtlsVersion } from './spec.js';

/** One case over one TLS version. */
export interface VersionPart {
  version: MtlsVersion;
  status: CheckStatus;
  message: string;
  transport?: TransportClass;
  /** What refused the request, for a case that was rejected. */
  refusal?: Refusal;
  exchanges: Exchange[];
}

export type CaseOutcome = Omit<CheckOutcome, 'idSuffix' | 'title'>;

/** Worst first: a finding on any version is a finding, and what could not be observed is never a pass. */
const ORDER: CheckStatus[] = ['failed', 'errored', 'passed', 'skipped'];

/**
 * One result per case (its id stays `<check id>.<case>`), covering every version it ran over: failed when any
 * version failed, else errored when any errored, else passed when any passed; a version the server does not offer
 * is skipped and named in the message. When no version could be tested at all, the case is errored: nothing was
 * observed. The per-version breakdown (status, what refused it) is the evidence's `data.versions`.
 */
export function combineVersions(parts: readonly VersionPart[]): CaseOutcome {
  const ranked = [...parts].sort((a, b) => ORDER.indexOf(a.status) - ORDER.indexOf(b.status));
  const worst = ranked[0]?.status ?? 'errored';
  const status: CheckStatus = worst === 'skipped' ? 'errored' : worst;
  const errored = parts.filter((p) => p.status === 'errored');
  const transports = new Set(errored.map((p) => p.transport));
  const transport = status === 'errored' && errored.length > 0 && transports.size === 1 ? [...transports][0] : undefined;
  let message = groupedMessage(ranked);
  if (worst === 'skipped') message = `no TLS version could be tested: ${message}`;
  return {
    status,
    message,
    ...(transport ? { transport } : {}),
    evidence: {
      exchanges: parts.flatMap((p) => p.exchanges),
      data: {
        versions: parts.map(({ version, status: partStatus, message: partMessage, refusal, transport: cls }) => ({
          version,
          status: partStatus,
          message: partMessage,
          ...(refusal ? { refusal } : {}),
          ...(cls ? { transport: cls } : {}),
        })),
      },
    },
  };
}

/** "TLSv1.2, TLSv1.3: rejected at the TLS layer with alert certificate_expired", one group per distinct message. */
function groupedMessage(parts: readonly VersionPart[]): string {
  const groups = new Map<string, MtlsVersion[]>();
  for (const part of parts) groups.set(part.message, [...(groups.get(part.message) ?? []), part.version]);
  return [...groups].map(([message, versions]) => `${versions.join(', ')}: ${message}`).join('; ');
}
