import { SCHEMA_BASE_URL, type JsonSchema } from '../scenario/schema.js';
import { PLACEHOLDER_REASON } from './entry.js';

/** The JSON Schema of a baseline file, for editors and for the loader's first pass. */
export function buildBaselineSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `${SCHEMA_BASE_URL}/baseline.schema.json`,
    title: 'gauntlet baseline of accepted findings',
    description:
      'Findings accepted for now (gauntlet run --baseline FILE): each stays in every report, marked suppressed, and no longer fails the run. The run fails when an entry has expired or no longer matches a finding.',
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'reason'],
      properties: {
        id: {
          type: 'string',
          pattern: '^[^\\s*?]+$',
          description: 'The check id (every case of it) or case id (one case) of the accepted finding, exactly as reports show it. No globs.',
          examples: ['headers.server-version', 'keys.matrix.revoked'],
        },
        target: {
          type: 'string',
          pattern: '^https?://',
          description: 'The base URL the acceptance holds for; without it, every target.',
          examples: ['https://api.example.com'],
        },
        reason: {
          type: 'string',
          pattern: '\\S',
          description: `Why the finding is accepted (required). The placeholder '${PLACEHOLDER_REASON}' that --write-baseline writes is refused.`,
          examples: ['the version header is stripped by the CDN in production (ticket SEC-123)'],
        },
        expires: {
          type: 'string',
          format: 'date',
          description: 'YYYY-MM-DD: the last day the entry holds; from the next day on, the run fails until the entry is renewed or removed.',
          examples: ['2026-06-30'],
        },
        allowCritical: {
          type: 'boolean',
          default: false,
          description: 'Required (true) to accept a critical finding: without it, a baseline naming a critical check is refused before anything is sent.',
        },
      },
    },
  };
}
