import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_KINDS } from '../../src/checks/index.js';
import { schemaText, SCHEMA_FILES } from '../../src/commands/schema.js';
import { ROOT } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/temp.js';
import { YAML_LANGUAGE_SERVER, YamlEditor, yamlLanguageServerBin, type CompletionItem } from '../helpers/yaml-language-server.js';

const bin = yamlLanguageServerBin();
const KINDS = CHECK_KINDS.map((k) => k.kind);

/** A document, and where the cursor is: the end of the line that holds `|` (the bar is not part of the text). */
function at(lines: string[]): { text: string; line: number; character: number } {
  const line = lines.findIndex((l) => l.includes('|'));
  const character = lines[line]!.indexOf('|');
  return { text: lines.map((l) => l.replace('|', '')).join('\n'), line, character };
}

const documentation = (item: CompletionItem | undefined) => (typeof item?.documentation === 'string' ? item.documentation : (item?.documentation?.value ?? ''));

describe.skipIf(!bin)(`editor completion with ${YAML_LANGUAGE_SERVER} and the scenario schema`, () => {
  let dir: TempDir;
  let editor: YamlEditor;
  let modeline: string;
  let documents = 0;

  beforeAll(async () => {
    dir = tempDir('gauntlet-editor-');
    dir.file(SCHEMA_FILES.scenario, schemaText('scenario'));
    modeline = `# yaml-language-server: $schema=./${SCHEMA_FILES.scenario}`;
    editor = await YamlEditor.start(bin!, dir.path);
  });

  afterAll(async () => {
    await editor?.stop();
    dir?.remove();
  });

  function open(lines: string[]): { uri: string; line: number; character: number } {
    const { text, line, character } = at([modeline, ...lines]);
    const uri = editor.open(dir.file(`scenario-${++documents}.yaml`, text), text);
    return { uri, line, character };
  }

  it.each([
    ['as the first field of a check', ['name: s', 'checks:', '  - kind: |']],
    ['after id and severity (where only 4 kinds were offered)', ['name: s', 'checks:', '  - id: a', '    severity: high', '    kind: |']],
    ['after a request', ['name: s', 'checks:', '  - id: a', '    request:', '      path: /', '    kind: |']],
  ])('offers every registered kind after `kind: ` %s', async (_where, lines) => {
    const cursor = open(lines);
    const labels = (await editor.complete(cursor.uri, cursor.line, cursor.character)).map((i) => i.label);
    expect([...labels].sort()).toEqual(expect.arrayContaining([...KINDS].sort()));
    expect(KINDS.length).toBe(17);
  });

  it('explains each kind in its completion item', async () => {
    const cursor = open(['name: s', 'checks:', '  - id: a', '    kind: |']);
    const items = await editor.complete(cursor.uri, cursor.line, cursor.character);
    const rateLimit = items.find((i) => i.label === 'rate-limit');
    expect(documentation(rateLimit)).toBe(CHECK_KINDS.find((k) => k.kind === 'rate-limit')!.description);
  });

  it("completes a kind's own fields with their descriptions", async () => {
    const cursor = open(['name: s', 'checks:', '  - id: a', '    kind: rate-limit', '    |']);
    const items = await editor.complete(cursor.uri, cursor.line, cursor.character);
    const labels = items.map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['policy', 'probes', 'transport', 'refillAt']));
    expect(labels).not.toContain('expect');
    expect(documentation(items.find((i) => i.label === 'policy'))).toContain('rateLimits');
  });

  it('shows the Markdown description when hovering a field', async () => {
    const common = open(['name: s', 'checks:', '  - i|d: a', '    kind: http', '    request: { path: / }', '    expect: { status: 200 }']);
    expect(await editor.hover(common.uri, common.line, common.character)).toContain('used by `--only`');
    const own = open(['name: s', 'checks:', '  - id: a', '    kind: rate-limit', '    request: { path: / }', '    pol|icy: api']);
    expect(await editor.hover(own.uri, own.line, own.character)).toContain('a name in the profile `rateLimits` section');
  });

  it.each(readdirSync(join(ROOT, 'scenarios')).filter((f) => f.endsWith('.yaml')))('finds nothing wrong in the shipped scenarios/%s (through its own modeline)', async (name) => {
    const file = join(ROOT, 'scenarios', name);
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/scenario.schema.json');
    const problems = await editor.diagnostics(editor.open(file, text));
    expect(problems.map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it('marks a misspelled field, as a control that diagnostics are read', async () => {
    const { uri } = open(['name: s', 'checks:', '  - id: a', '    kind: http', '    request: { path: / }', '    expect: { status: 200 }', '    severity: high', '    reqest: {}|']);
    const problems = await editor.diagnostics(uri);
    expect(problems.map((d) => d.message).join('\n')).toContain('reqest');
  });

  it('explains the fields of a target profile', async () => {
    dir.file(SCHEMA_FILES.profile, schemaText('profile'));
    const { text, line, character } = at([`# yaml-language-server: $schema=./${SCHEMA_FILES.profile}`, 'target: http://127.0.0.1:8080', 'mutat|ions: allowed']);
    const uri = editor.open(dir.file('profile.yaml', text), text);
    expect(await editor.hover(uri, line, character)).toContain('Default `forbidden`');
  });
});
