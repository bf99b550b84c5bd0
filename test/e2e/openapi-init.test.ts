import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { loadApi } from '../../src/openapi/load-document.js';
import { tempDir } from '../helpers/temp.js';

const MODULES = join(import.meta.dirname, '..', '..', 'node_modules');
const EXAMPLES = join(MODULES, '@readme', 'oas-examples');
const GITHUB = join(MODULES, '@octokit', 'openapi', 'generated', 'api.github.com.json');

const dir = tempDir();
afterAll(() => dir.remove());

/** Runs the CLI in this process, capturing what it prints. */
async function gauntlet(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await main(argv, { stdout, stderr });
  return { code, stdout: out, stderr: err };
}

/** Every `${env:NAME}` a written profile reads, set to a stand-in value (validate resolves them). */
function provideKeys(profile: string): void {
  for (const [, name] of readFileSync(profile, 'utf8').matchAll(/\$\{env:([A-Z0-9_]+)\}/g)) process.env[name!] = `gk_test_${name!.toLowerCase()}`;
}

/** Writes the plan of a document, then validates what it wrote against the profile it wrote. */
async function initAndValidate(document: string, name: string, server = 'http://127.0.0.1:9'): Promise<{ init: string; validate: string; plan: string }> {
  const out = join(dir.path, name);
  const dry = await gauntlet('init', '--openapi', document, '--server', server, '--dry-run');
  expect(dry.code, dry.stderr).toBe(0);
  const init = await gauntlet('init', '--openapi', document, '--server', server, '--out', out);
  expect(init.code, init.stderr).toBe(0);
  provideKeys(join(out, 'profile.yaml'));
  const validate = await gauntlet('validate', join(out, 'scenarios'), '-p', join(out, 'profile.yaml'));
  expect(validate.code, `${name}: ${validate.stderr.slice(0, 3000)}`).toBe(0);
  return { init: init.stdout, validate: validate.stdout, plan: dry.stdout };
}

describe('gauntlet init --openapi on published documents', () => {
  it('writes, for every example document of @readme/oas-examples, scenarios validate accepts, with every operation in the plan', async () => {
    let documents = 0;
    for (const version of ['2.0', '3.0', '3.1']) {
      for (const file of readdirSync(join(EXAMPLES, version, 'json')).filter((n) => n.endsWith('.json'))) {
        const path = join(EXAMPLES, version, 'json', file);
        const api = await loadApi(path).catch(() => undefined);
        // Documents the parser refuses are refused by init too (the loading test proves it).
        if (!api || api.model.operations.length === 0) continue;
        const { plan, validate } = await initAndValidate(path, `${version}-${file.replace('.json', '')}`);
        const operations = api.model.operations.length;
        expect(plan, file).toContain(`Operations in the plan: ${operations} of ${operations} (100%)`);
        expect(validate).toMatch(/^ok: \d+ scenario\(s\), \d+ check\(s\) valid against /);
        documents++;
      }
    }
    expect(documents).toBeGreaterThanOrEqual(50);
  }, 240_000);

  it("writes GitHub's REST description (1 200+ operations) that validate accepts, with every operation in the plan", async () => {
    const { plan, init } = await initAndValidate(GITHUB, 'github');
    const operations = (await loadApi(GITHUB)).model.operations.length;
    expect(operations).toBeGreaterThan(1000);
    expect(plan).toContain(`Operations in the plan: ${operations} of ${operations} (100%)`);
    expect(init).toContain(`for all ${operations} operations of "GitHub's official OpenAPI spec`);
  }, 120_000);

  it('writes nothing for a document it cannot read, and says where the problem is', async () => {
    const broken = dir.file('broken.yaml', "openapi: 3.0.3\ninfo: { title: x, version: '1' }\npaths:\n  /a:\n    get:\n      responses:\n        '200': { $ref: '#/components/responses/Gone' }\n");
    const out = join(dir.path, 'never');
    const result = await gauntlet('init', '--openapi', broken, '--out', out);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error[E_OPENAPI_REF]');
    expect(result.stderr).toContain('the $ref at #/paths/~1a/get/responses/200/$ref points to #/components/responses/Gone');
    expect(existsSync(out)).toBe(false);
    const invalid = dir.file('invalid.json', JSON.stringify({ openapi: '3.1.0', info: { title: 'x' }, paths: {} }));
    const refused = await gauntlet('init', '--openapi', invalid, '--out', out);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("#/info: must have required property 'version'");
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a folder that is not empty, and --dry-run writes nothing', async () => {
    const petstore = join(EXAMPLES, '3.0', 'json', 'petstore.json');
    const busy = join(dir.path, 'busy');
    dir.file('busy/notes.txt', 'mine');
    const refused = await gauntlet('init', '--openapi', petstore, '--out', busy);
    expect(refused).toMatchObject({ code: 2, stderr: expect.stringContaining('is not empty') });
    expect(readdirSync(busy)).toEqual(['notes.txt']);
    const dry = await gauntlet('init', '--openapi', petstore, '--out', join(dir.path, 'dry'), '--dry-run');
    expect(dry.stdout).toContain('Nothing written (--dry-run).');
    expect(existsSync(join(dir.path, 'dry'))).toBe(false);
  });
});
