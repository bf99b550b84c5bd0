import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function imports(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]!);
}

/** The pure limiter algorithms may serve as models for the rate-limit fingerprint; nothing else may cross. */
const ALLOWED_REFERENCE_IMPORT = /\/reference\/limiters\/algorithms\//;

describe('architecture boundaries', () => {
  it('the harness (scenario, engine, checks, runner, results, report) never imports the reference server', () => {
    const offenders: string[] = [];
    for (const folder of ['scenario', 'engine', 'checks', 'runner', 'results', 'report']) {
      for (const file of sourceFiles(join(ROOT, 'src', folder))) {
        for (const target of imports(file)) {
          if (target.includes('/reference/') && !ALLOWED_REFERENCE_IMPORT.test(target)) offenders.push(`${relative(ROOT, file)} -> ${target}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('run, validate, report and certs load no reference server: only demo, serve and bench import it, lazily', () => {
    // The modules a command loads at startup: static runtime imports (not `import type`, not `await import()`).
    const runtimeImports = (file: string) =>
      [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\s(?!type\s)[^;]*?from\s+'(\.[^']+)'/gms)].map((m) => resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts')));
    const seen = new Set<string>();
    const queue = [join(ROOT, 'src', 'cli.ts')];
    while (queue.length) {
      const file = queue.pop()!;
      if (seen.has(file) || !existsSync(file)) continue;
      seen.add(file);
      queue.push(...runtimeImports(file));
    }
    expect(seen.size).toBeGreaterThan(50);
    const reached = [...seen].map((f) => relative(join(ROOT, 'src'), f)).filter((f) => f.startsWith('reference/') && !f.startsWith('reference/limiters/algorithms/'));
    expect(reached).toEqual([]);
  });

  it('reporters read results only (plus utilities and their own files)', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(join(ROOT, 'src', 'report'))) {
      for (const target of imports(file)) {
        const inside = target.startsWith('.') ? relative(join(ROOT, 'src'), resolve(dirname(file), target)) : '';
        const ok = target.startsWith('node:') || target === 'handlebars' || /^(report|results|util)\//.test(inside);
        if (!ok) offenders.push(`${relative(ROOT, file)} -> ${target}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
