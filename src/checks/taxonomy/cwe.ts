import type { CheckTaxonomy } from '../../results/model.js';

/**
 * Names of the CWE weaknesses gauntlet files its checks under (https://cwe.mitre.org), and of those the kinds
 * planned next will need. A scenario may name any other CWE id: it is reported by number, without a name.
 */
export const CWE_NAMES: Readonly<Record<number, string>> = {
  20: 'Improper Input Validation',
  749: 'Exposed Dangerous Method or Function',
  200: 'Exposure of Sensitive Information to an Unauthorized Actor',
  208: 'Observable Timing Discrepancy',
  209: 'Generation of Error Message Containing Sensitive Information',
  213: 'Exposure of Sensitive Information Due to Incompatible Policies',
  285: 'Improper Authorization',
  287: 'Improper Authentication',
  290: 'Authentication Bypass by Spoofing',
  294: 'Authentication Bypass by Capture-replay',
  295: 'Improper Certificate Validation',
  298: 'Improper Validation of Certificate Expiration',
  299: 'Improper Check for Certificate Revocation',
  306: 'Missing Authentication for Critical Function',
  307: 'Improper Restriction of Excessive Authentication Attempts',
  319: 'Cleartext Transmission of Sensitive Information',
  324: 'Use of a Key Past its Expiration Date',
  326: 'Inadequate Encryption Strength',
  327: 'Use of a Broken or Risky Cryptographic Algorithm',
  347: 'Improper Verification of Cryptographic Signature',
  348: 'Use of Less Trusted Source',
  400: 'Uncontrolled Resource Consumption',
  497: 'Exposure of Sensitive System Information to an Unauthorized Control Sphere',
  522: 'Insufficiently Protected Credentials',
  598: 'Use of GET Request Method With Sensitive Query Strings',
  639: 'Authorization Bypass Through User-Controlled Key',
  674: 'Uncontrolled Recursion',
  684: 'Incorrect Provision of Specified Functionality',
  693: 'Protection Mechanism Failure',
  770: 'Allocation of Resources Without Limits or Throttling',
  915: 'Improperly Controlled Modification of Dynamically-Determined Object Attributes',
  942: 'Permissive Cross-domain Policy with Untrusted Domains',
  1059: 'Insufficient Technical Documentation',
};

export function cweEntry(id: number): NonNullable<CheckTaxonomy['cwe']> {
  const title = CWE_NAMES[id];
  return { id, ...(title ? { title } : {}), url: `https://cwe.mitre.org/data/definitions/${id}.html` };
}
