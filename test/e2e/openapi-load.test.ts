import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validate } from '@readme/openapi-parser';
import { loadApi } from '../../src/openapi/load-document.js';
import type { GauntletError } from '../../src/util/errors.js';
import { HTTP_METHODS } from '../../src/openapi/model.js';
import { closedPort, startTestServer, type TestServer } from '../helpers/servers.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'node_modules', '@readme', 'oas-examples');

/** How many operations a raw document declares, counted without gauntlet's code. */
function declaredOperations(file: string): number {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { paths?: Record<string, Record<string, unknown>> };
  // A path item may be a local $ref (#/components/pathItems/...): follow it by hand.
  const resolve = (item: Record<string, unknown>) =>
    typeof item.$ref === 'string' ? (item.$ref.slice(2).split('/').reduce<unknown>((at, key) => (at as Record<string, unknown>)[key.replace(/~1/g, '/')], doc) as Record<string, unknown>) : item;
  return Object.values(doc.paths ?? {}).reduce((n, item) => n + HTTP_METHODS.filter((m) => m in resolve(item)).length, 0);
}

describe('loading OpenAPI documents', () => {
  let dir: TempDir;
  let server: TestServer;
  beforeAll(async () => {
    dir = tempDir();
    server = await startTestServer((req, res) => {
      if (req.url === '/schemas.json') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ Pet: { type: 'object', properties: { id: { type: 'integer', readOnly: true }, name: { type: 'string' } } } }));
      if (req.url === '/api.yaml') {
        return void res.writeHead(200, { 'content-type': 'application/yaml' }).end(
          "openapi: 3.0.3\ninfo: { title: remote, version: '1' }\nservers: [{ url: /v1 }]\npaths:\n  /pets/{id}:\n    get:\n      parameters: [{ name: id, in: path, required: true, schema: { type: integer } }]\n      responses:\n        '200': { description: ok, content: { application/json: { schema: { $ref: 'schemas.json#/Pet' } } } }\n",
        );
      }
      res.writeHead(404).end();
    });
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  it.each(['2.0/json/petstore.json', '3.0/json/petstore.json', '3.1/json/petstore.json', '3.0/json/security.json', '3.0/json/petstore-expanded.json'])('%s: every declared operation', async (name) => {
    const file = join(EXAMPLES, name);
    const { model } = await loadApi(file);
    expect(model.operations).toHaveLength(declaredOperations(file));
  });

  it('reads every example document of @readme/oas-examples its own validator accepts, and refuses the others', async () => {
    let accepted = 0;
    for (const version of ['2.0', '3.0', '3.1']) {
      for (const name of readdirSync(join(EXAMPLES, version, 'json')).filter((n) => n.endsWith('.json'))) {
        const file = join(EXAMPLES, version, 'json', name);
        const valid = (await validate(file, { dereference: { circular: 'ignore' } }).catch(() => ({ valid: false }))).valid;
        const loaded = await loadApi(file).then(
          (api) => `${api.model.operations.length} operations`,
          (error: GauntletError) => error.code,
        );
        expect(loaded, `${version}/${name}`).toEqual(valid ? `${declaredOperations(file)} operations` : expect.stringMatching(/^E_OPENAPI_(INVALID|REF)$/));
        if (valid) accepted++;
      }
    }
    expect(accepted).toBeGreaterThanOrEqual(60);
  });

  it('resolves a remote document and its remote $refs, and its relative server', async () => {
    const { model } = await loadApi(`${server.url}/api.yaml`);
    expect(model.servers).toEqual([`${server.url}/v1`]);
    expect(model.operations[0]!.responses[0]!.schema).toMatchObject({ properties: { id: { readOnly: true } } });
  });

  it('names the JSON pointer of a schema problem', async () => {
    const file = dir.file('invalid.json', JSON.stringify({ openapi: '3.0.3', info: { title: 'x', version: '1' }, servers: [{ urll: 'x' }], paths: {} }));
    await expect(loadApi(file)).rejects.toMatchObject({ code: 'E_OPENAPI_INVALID', exitCode: 2, message: expect.stringContaining("#/servers/0: must have required property 'url'") });
  });

  it('names where a broken $ref is written', async () => {
    const doc = { openapi: '3.0.3', info: { title: 'x', version: '1' }, paths: { '/a': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Nope' } } } } } } } } };
    const file = dir.file('broken-ref.json', JSON.stringify(doc));
    await expect(loadApi(file)).rejects.toMatchObject({
      code: 'E_OPENAPI_REF',
      message: expect.stringContaining('the $ref at #/paths/~1a/get/responses/200/content/application~1json/schema/$ref points to #/components/schemas/Nope, which does not exist'),
    });
    const remote = dir.file('broken-remote.json', JSON.stringify({ ...doc, paths: { '/a': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: `${server.url}/missing.json#/Pet` } } } } } } } } }));
    await expect(loadApi(remote)).rejects.toMatchObject({ code: 'E_OPENAPI_REF', message: expect.stringMatching(/the \$ref at #\/paths\/~1a\/get\/responses\/200\/content\/application~1json\/schema\/\$ref to http:\/\/127\.0\.0\.1:\d+\/missing\.json#\/Pet could not be read: .*404/) });
  });

  it('says when a URL does not answer, or answers something else', async () => {
    await expect(loadApi(`http://127.0.0.1:${await closedPort()}/openapi.json`)).rejects.toMatchObject({ code: 'E_OPENAPI_SOURCE', exitCode: 2, message: expect.stringContaining('ECONNREFUSED') });
    await expect(loadApi(`${server.url}/nothing.json`)).rejects.toMatchObject({ code: 'E_OPENAPI_SOURCE', message: expect.stringContaining('answered HTTP 404') });
    const notApi = dir.file('not-api.json', '{"hello":"world"}');
    await expect(loadApi(notApi)).rejects.toMatchObject({ code: 'E_OPENAPI_INVALID', message: expect.stringContaining('neither an "openapi" nor a "swagger" field') });
  });
});
