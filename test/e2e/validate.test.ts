import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/servers.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

const THREE_MISTAKES = `name: three mistakes
checks:
  - id: bad.kind
    kind: htp
    severity: high
    request: { path: /a }
    expect: { status: 200 }
  - id: bad.field
    kind: http
    severity: high
    request: { path: /b }
    expect:
      statsu: 200
  - id: bad.var
    kind: http
    severity: high
    request: { path: "/users/{{userid}}" }
    expect: { status: 200 }
`;

describe('validating scenarios', () => {
  let dir: TempDir;
  let server: TestServer;
  let file: string;
  beforeAll(async () => {
    dir = tempDir();
    file = dir.file('three-mistakes.yaml', THREE_MISTAKES);
    server = await startTestServer((_req, res) => res.end('ok'));
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  it('reports all three mistakes as file:line:col with hints, and exits 2', async () => {
    const cli = await runCli(['validate', file]);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/three-mistakes\.yaml:4:11: error\[E_UNKNOWN_KIND\]: unknown check kind 'htp'/);
    expect(cli.stderr).toMatch(/three-mistakes\.yaml:13:7: error\[E_UNKNOWN_FIELD\]: unknown field 'statsu'/);
    expect(cli.stderr).toMatch(/three-mistakes\.yaml:17:22: error\[E_UNDEFINED_VAR\]: undefined variable '\{\{userid\}\}'/);
    expect(cli.stderr).toContain("did you mean 'http'?");
    expect(cli.stderr).toContain("did you mean 'status'?");
    expect(cli.stderr).toContain('> 13 |       statsu: 200');
    expect(cli.stderr).toContain('3 problem(s) found; nothing was sent.');
  });

  it('sends nothing when run is given the same file', async () => {
    const cli = await runCli(['run', file, '--target', server.url]);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('3 problem(s) found');
    expect(server.requests).toHaveLength(0);
  });

  it('accepts the built-in scenarios', async () => {
    const cli = await runCli(['validate', 'scenarios']);
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/^ok: \d+ scenario\(s\), \d+ check\(s\) valid/);
  });

  it('reports YAML syntax errors with their position', async () => {
    const broken = dir.file('syntax.yaml', 'name: x\nchecks:\n  - id: a\n    kind: [http\n');
    const cli = await runCli(['validate', broken]);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/syntax\.yaml:\d+:\d+: error\[E_YAML_SYNTAX\]/);
  });

  it('shows a NUL or an escape sequence from a scenario as \\xNN, in the message and the frame', async () => {
    const hostile = dir.file('control-chars.yaml', 'name: x\nchecks:\n  - id: a\n    kind: ht\u0000t\u001b[2Jp\n    severity: low\n');
    const cli = await runCli(['validate', hostile]);
    expect(cli.code).toBe(2);
    expect(cli.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(cli.stderr).toContain("unknown check kind 'ht\\x00t\\x1b[2Jp'");
    expect(cli.stderr).toContain('> 4 |     kind: ht\\x00t\\x1b[2Jp');
  });

  it('reports one unquoted {{var}} in a flow map as one error with the quoting hint, not hundreds', async () => {
    // Before: 931 E_YAML_SYNTAX errors for one such line near the top of a long scenario.
    const checks = Array.from({ length: 60 }, (_, i) => `  - id: c.${i}\n    kind: http\n    severity: low\n    request: { path: /a/${i} }\n    expect: { status: 200 }\n`).join('');
    const broken = dir.file('unquoted-var.yaml', `name: users\nvars: { userId: 42 }\nchecks:\n  - id: users.get\n    kind: http\n    severity: low\n    request: { path: /api/users/{{userId}} }\n${checks}`);
    const cli = await runCli(['validate', broken]);
    expect(cli.code).toBe(2);
    expect(cli.stderr.match(/error\[/g)).toHaveLength(1);
    expect(cli.stderr).toMatch(/unquoted-var\.yaml:7:33: error\[E_YAML_SYNTAX\]: \{\{userId\}\} is not quoted/);
    expect(cli.stderr).toContain('hint: {{...}} inside a flow map must be quoted: path: "/api/users/{{userId}}"');
    expect(cli.stderr).toMatch(/note: the YAML parser reported \d+ more errors in this file, not shown/);
    expect(cli.stderr).toContain('1 problem(s) found; nothing was sent.');

    const whole = dir.file('unquoted-json.yaml', 'name: u\nchecks:\n  - { id: a, kind: http, severity: low, request: { path: /a }, expect: { json: { $.id: {{userId}} } } }\n');
    const json = await runCli(['validate', whole]);
    expect(json.code).toBe(2);
    expect(json.stderr).toMatch(/unquoted-json\.yaml:3:88: error\[E_UNQUOTED_TEMPLATE\]/);
    expect(json.stderr).toContain('hint: {{...}} as a whole value must be quoted: $.id: "{{userId}}"');
    // yaml's own warning about a mapping used as a key must not leak out.
    expect(json.stderr).not.toContain('Warning');
  });

  it('prints no code frame for a syntax error in a profile, where the line may be an inline key', async () => {
    const profile = dir.file('broken-profile.yaml', 'target: http://127.0.0.1:9\nkeys:\n  valid: sk_live_syntax_do_not_print: x\n');
    const cli = await runCli(['validate', file, '-p', profile]);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/broken-profile\.yaml:3:10: error\[E_YAML_SYNTAX\]/);
    expect(cli.stderr).not.toContain('sk_live_syntax_do_not_print');
  });

  it('names a missing scenario file, and refuses bad options with exit 2', async () => {
    const missing = await runCli(['validate', 'no/such/file.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file or folder: no/such/file.yaml');
    const badTimeout = await runCli(['run', 'scenarios', '--target', server.url, '--timeout', 'soon']);
    expect(badTimeout.code).toBe(2);
    expect(badTimeout.stderr).toContain("--timeout: 'soon' is not a duration such as 5s, 500ms or 2000");
    const noTarget = await runCli(['run', 'scenarios']);
    expect(noTarget.code).toBe(2);
    expect(noTarget.stderr).toContain('no target');
    expect(server.requests).toHaveLength(0);
  });

  it('checks identity and key names against a profile, and refuses inline secrets without printing them', async () => {
    const profile = dir.file('profile.yaml', 'target: http://127.0.0.1:9\nkeys:\n  valid: sk_live_inline_do_not_print\n');
    const scenario = dir.file(
      'names.yaml',
      'name: names\nchecks:\n  - { id: n.key, kind: http, severity: low, request: { path: /, key: vaild }, expect: { status: 200 } }\n',
    );
    const cli = await runCli(['validate', scenario, '-p', profile]);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('E_INLINE_SECRET');
    expect(cli.stderr).not.toContain('sk_live_inline_do_not_print');
  });
});
