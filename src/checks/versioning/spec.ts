import type { Severity } from '../../results/model.js';
import type { JsonSchema } from '../../scenario/schema.js';
import type { CheckSpecBase } from '../../scenario/types.js';
import { severitiesSchema } from '../cases.js';
import { statusSchema, type HttpRequestSpec, type StatusExpectation } from '../http/spec.js';
import { requestSchema } from '../request-schema.js';

/** Case names; `url` and `header` have one case per version (`url-2`, `header-2`). */
export const VERSIONING_CASES = ['url', 'header', 'default', 'unsupported-url', 'unsupported-header'] as const;
export type VersioningCase = (typeof VERSIONING_CASES)[number];

export interface VersioningSpec extends CheckSpecBase {
  /** The unversioned request: its path serves header versioning and the default. */
  request?: HttpRequestSpec;
  /** Supported versions, as the header carries them: ['1', '2']. */
  versions: string[];
  /** Path template for URL versioning, with {version}: /api/v{version}/data. */
  url?: string;
  /** Request header naming the version (default API-Version); false when the API has none. */
  header?: string | false;
  /** Response header naming the version served; each supported request must get its own version back. */
  servedHeader?: string;
  /** A version the API does not have (default 99). */
  unsupported?: string;
  /** What an unsupported version gets (default 400). */
  unsupportedStatus?: StatusExpectation;
  severities?: Partial<Record<VersioningCase, Severity>>;
  cases?: VersioningCase[];
}

export const versioningProperties: Record<string, JsonSchema> = {
  request: requestSchema,
  versions: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', minLength: 1 }, description: 'Supported versions.', examples: [['1', '2']] },
  url: { type: 'string', minLength: 1, description: 'Path template with `{version}`, e.g. `/api/v{version}/data`.', examples: ['/api/v{version}/users'] },
  header: {
    anyOf: [{ type: 'string', pattern: '^[A-Za-z0-9-]+$' }, { const: false }],
    default: 'API-Version',
    description: 'Version request header (default `API-Version`), or `false` when versions are chosen in the URL only.',
    examples: ['Accept-Version', false],
  },
  servedHeader: { type: 'string', pattern: '^[A-Za-z0-9-]+$', description: 'Response header naming the version served.', examples: ['API-Version'] },
  unsupported: { type: 'string', minLength: 1, default: '99', description: 'A version the target does not serve, for the unsupported cases (default `99`).', examples: ['0', '99'] },
  unsupportedStatus: { ...statusSchema, default: 400, description: `The status an unsupported version must get (default 400). ${String(statusSchema.description)}` },
  severities: severitiesSchema(VERSIONING_CASES),
  cases: {
    type: 'array',
    minItems: 1,
    uniqueItems: true,
    items: { enum: [...VERSIONING_CASES] },
    description: 'Run only these cases.',
    examples: [['url', 'unsupported-url']],
  },
};
