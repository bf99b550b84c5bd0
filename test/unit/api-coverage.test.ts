import { describe, expect, it } from 'vitest';
import { mergeCoverage } from '../../src/results/api-coverage.js';
import type { ApiCoverage } from '../../src/results/model.js';

const shard = (reached: ApiCoverage['reached'], untouched: string[], statuses: ApiCoverage['undocumentedStatuses'] = []): ApiCoverage => ({
  document: 'openapi.json',
  title: 'Things',
  operations: { total: Object.keys(reached).length + untouched.length, audited: Object.keys(reached).length },
  byKind: {},
  byCategory: {},
  untouched,
  reached,
  undocumentedStatuses: statuses,
});

describe('merging the OpenAPI coverage of shards', () => {
  it('counts an operation reached by any shard once, with every kind and category that reached it', () => {
    const merged = mergeCoverage([
      shard({ 'GET /a': { kinds: ['api-key'], categories: ['API2:2023'] } }, ['POST /a', 'GET /b'], [{ operation: 'GET /a', status: 401, checks: ['a.keys.missing'] }]),
      shard({ 'GET /a': { kinds: ['headers'], categories: ['API8:2023'] }, 'POST /a': { kinds: ['api-key'], categories: ['API2:2023'] } }, ['GET /b'], [{ operation: 'GET /a', status: 401, checks: ['a.headers.unauthorized'] }]),
      undefined,
    ])!;
    expect(merged.operations).toEqual({ total: 3, audited: 2 });
    expect(merged.untouched).toEqual(['GET /b']);
    expect(merged.reached['GET /a']).toEqual({ kinds: ['api-key', 'headers'], categories: ['API2:2023', 'API8:2023'] });
    expect(merged.byKind).toEqual({ 'api-key': 2, headers: 1 });
    expect(merged.byCategory).toEqual({ 'API2:2023': 2, 'API8:2023': 1 });
    expect(merged.undocumentedStatuses).toEqual([{ operation: 'GET /a', status: 401, checks: ['a.headers.unauthorized', 'a.keys.missing'] }]);
  });

  it('has none when no shard had one', () => {
    expect(mergeCoverage([undefined, undefined])).toBeUndefined();
  });
});
