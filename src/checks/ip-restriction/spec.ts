import type { Severity } from '../../results/model.js';
import type { JsonSchema } from '../../scenario/schema.js';
import type { CheckSpecBase } from '../../scenario/types.js';
import { severitiesSchema } from '../cases.js';
import { statusSchema, type HttpRequestSpec, type StatusExpectation } from '../http/spec.js';
import { requestSchema } from '../request-schema.js';

export const IP_RESTRICTION_CASES = ['allowed-source', 'outside-source', 'spoofed-forwarded-for'] as const;
export type IpRestrictionCase = (typeof IP_RESTRICTION_CASES)[number];

export interface IpRestrictionSpec extends CheckSpecBase {
  /** A request to the restricted route. */
  request: HttpRequestSpec;
  /** A local address inside the allow-list to send from (default: the one the OS picks). */
  allowedFrom?: string;
  /** A local address outside the allow-list to send from (default 127.0.0.2, for loopback targets). */
  outsideFrom?: string;
  /** The address the spoofing headers claim (default: allowedFrom, else 127.0.0.1). */
  spoofAs?: string;
  /** What a refused source gets (default 403, as Kong's ip-restriction plugin answers). */
  refusedStatus?: StatusExpectation;
  severities?: Partial<Record<IpRestrictionCase, Severity>>;
  cases?: IpRestrictionCase[];
}

const address: JsonSchema = { type: 'string', minLength: 1 };

export const ipRestrictionProperties: Record<string, JsonSchema> = {
  request: requestSchema,
  allowedFrom: { ...address, description: 'Local source address inside the allow-list.', examples: ['127.0.0.1'] },
  outsideFrom: { ...address, default: '127.0.0.2', description: 'Local source address outside the allow-list (default `127.0.0.2`).', examples: ['127.0.0.3'] },
  spoofAs: {
    ...address,
    description: 'Address the `X-Forwarded-For` style headers claim (default: `allowedFrom`, else `127.0.0.1`).',
    examples: ['127.0.0.1'],
  },
  refusedStatus: { ...statusSchema, default: 403, description: `The status of a refused source (default 403). ${String(statusSchema.description)}` },
  severities: severitiesSchema(IP_RESTRICTION_CASES),
  cases: {
    type: 'array',
    minItems: 1,
    uniqueItems: true,
    items: { enum: [...IP_RESTRICTION_CASES] },
    description: 'Run only these cases.',
    examples: [['outside-source', 'spoofed-forwarded-for']],
  },
};
