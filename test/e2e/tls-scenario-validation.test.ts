import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir();
afterAll(() => dir.remove());

describe('validating mtls and tls checks', () => {
  it('reports unknown roles, unknown cases and an incomplete probe list at their positions', async () => {
    const file = dir.file(
      'bad.yaml',
      `name: bad
checks:
  - id: m.one
    kind: mtls
    severity: high
    identities: { expird: old-cert }
  - id: t.one
    kind: tls
    severity: high
    probes: [client-certificate]
`,
    );
    const cli = await runCli(['validate', file]);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/bad\.yaml:6:\d+: error\[E_UNKNOWN_ROLE\]: 'expird' is not an mTLS role/);
    expect(cli.stderr).toContain("did you mean 'expired'?");
    expect(cli.stderr).toMatch(/bad\.yaml:10:13: error\[E_MISSING_FIELD\]: the client-certificate probe needs 'clientCertificate/);

    const cases = dir.file('cases.yaml', 'name: c\nchecks:\n  - { id: m.two, kind: mtls, severity: high, cases: [valid, revokd] }\n');
    const schema = await runCli(['validate', cases]);
    expect(schema.code).toBe(2);
    expect(schema.stderr).toMatch(/cases\.yaml:3:\d+: error\[E_BAD_VALUE\]: checks\[0\]\.cases\[1\] must be one of valid, valid-2, no-client-cert/);
  });

  it('accepts the built-in scenarios', async () => {
    const cli = await runCli(['validate', 'scenarios/mtls.yaml', 'scenarios/tls.yaml']);
    expect(cli.code, cli.stderr).toBe(0);
  });
});
