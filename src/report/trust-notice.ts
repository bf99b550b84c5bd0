import type { RunTrust } from '../results/model.js';

/**
 * The sentence every report shows when the target's certificate was not verified (--insecure, tls.insecure): a run
 * that trusted whoever answered must never pass for one that checked.
 */
export function insecureWarning(trust: RunTrust | undefined): string | undefined {
  if (!trust?.insecure) return undefined;
  const by = trust.insecureBy?.length ? ` (${trust.insecureBy.join(', ')})` : '';
  return `TLS VERIFICATION OFF${by}: the target's certificate was not checked, so nothing proves these answers came from the target`;
}

/** Which CA files the target's certificate was verified against, when the run brought its own. */
export function caFilesNote(trust: RunTrust | undefined): string | undefined {
  if (!trust?.caFiles?.length || trust.insecure) return undefined;
  return `TLS: the target's certificate was verified against ${trust.caFiles.join(', ')}`;
}

/** Both, for reports that list run-level notes: the warning first. */
export function trustNotices(trust: RunTrust | undefined): string[] {
  return [insecureWarning(trust), caFilesNote(trust)].filter((line): line is string => line !== undefined);
}
