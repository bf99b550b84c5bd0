import { describe, expect, it } from 'vitest';
import type { CheckResult, CheckTaxonomy } from '../../src/results/model.js';
import { filingView, owaspGroups } from '../../src/report/owasp-groups.js';

const category = (n: number, title: string, url = `https://owasp.org/API-Security/editions/2023/en/0xa${n}/`) => ({ id: `API${n}:2023`, title, url });
const check = (id: string, status: CheckResult['status'], taxonomy?: CheckTaxonomy) => ({ id, title: `${id} holds`, status, taxonomy }) as CheckResult;

describe('findings by OWASP category in the HTML report', () => {
  it('orders the categories API1 to API10 (not as text), then the failed checks filed nowhere', () => {
    const groups = owaspGroups([
      check('a', 'failed', { owasp: category(10, 'Unsafe Consumption of APIs') }),
      check('b', 'passed', { owasp: category(2, 'Broken Authentication') }),
      check('c', 'failed', { owasp: category(2, 'Broken Authentication'), cwe: { id: 287, url: 'https://cwe.mitre.org/data/definitions/287.html' } }),
      check('d', 'failed'),
      check('e', 'passed'),
    ]);
    expect(groups.map((g) => [g.id, g.filed, g.failed.map((f) => f.id)])).toEqual([
      ['API2:2023', 2, ['c']],
      ['API10:2023', 1, ['a']],
      [undefined, 0, ['d']],
    ]);
    expect(groups[0]!.failed[0]!.cwe).toBe('CWE-287');
  });

  it('has no groups for a run where no check is filed', () => {
    expect(owaspGroups([check('d', 'failed'), check('e', 'passed')])).toEqual([]);
  });

  it('links only to https pages: a run file given to gauntlet report could carry a script URL', () => {
    const hostile = { owasp: category(1, 'Broken Object Level Authorization', 'javascript:alert(1)'), cwe: { id: 639, url: 'data:text/html,x' } };
    expect(filingView(hostile)).toMatchObject({ label: 'API1:2023 · CWE-639', owasp: { href: undefined }, cwe: { href: undefined } });
    expect(owaspGroups([check('x', 'failed', hostile)])[0]!.href).toBeUndefined();
    expect(filingView({ owasp: category(1, 'Broken Object Level Authorization') })!.owasp!.href).toMatch(/^https:\/\/owasp\.org\//);
    expect(filingView(undefined)).toBeUndefined();
  });
});
