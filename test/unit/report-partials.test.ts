import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECK_KINDS } from '../../src/checks/index.js';
import { ROOT } from '../helpers/cli.js';

describe('HTML report partials', () => {
  it.each(CHECK_KINDS.map((k) => [k.kind]))('the %s kind has its own partial', (kind) => {
    expect(existsSync(join(ROOT, 'src/report/templates/partials', `kind-${kind}.hbs`))).toBe(true);
  });
});
