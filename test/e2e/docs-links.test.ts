import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';

/** README.md and every page under docs/. */
function markdownFiles(): string[] {
  const pages: string[] = [join(ROOT, 'README.md')];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.md')) pages.push(path);
    }
  };
  walk(join(ROOT, 'docs'));
  return pages;
}

/** The text outside fenced code blocks: a `# comment` in a YAML example is no heading, a `[x](y)` in code no link. */
function prose(markdown: string): string {
  return markdown.replace(/^```[^\n]*\n[\s\S]*?^```[ \t]*$/gm, '').replace(/`[^`\n]*`/g, (code) => code.replace(/[[\]()]/g, ' '));
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const match of prose(markdown).matchAll(/^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$/gm)) {
    const base = match[1]!.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

function relativeLinks(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!).filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

describe('the README and docs/', () => {
  it('the README stays a README: at most 15 KB', () => {
    expect(statSync(join(ROOT, 'README.md')).size).toBeLessThanOrEqual(15 * 1024);
  });

  it('every relative link reaches a file that exists, and every #anchor a heading in it', () => {
    const broken: string[] = [];
    for (const page of markdownFiles()) {
      const text = readFileSync(page, 'utf8');
      for (const link of relativeLinks(text)) {
        const [pathPart, anchor] = link.split('#', 2) as [string, string | undefined];
        const target = pathPart ? resolve(dirname(page), decodeURIComponent(pathPart)) : page;
        const where = `${relative(ROOT, page)}: ${link}`;
        if (!existsSync(target)) {
          broken.push(`${where} (no such file)`);
          continue;
        }
        if (anchor !== undefined && !anchors(readFileSync(target, 'utf8')).has(anchor)) broken.push(`${where} (no heading #${anchor} in ${relative(ROOT, target)})`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('every page under docs/ is reachable from the README through links', () => {
    const reached = new Set<string>();
    const queue = [join(ROOT, 'README.md')];
    while (queue.length > 0) {
      const page = queue.pop()!;
      if (reached.has(page) || !page.endsWith('.md') || !existsSync(page)) continue;
      reached.add(page);
      for (const link of relativeLinks(readFileSync(page, 'utf8'))) {
        const pathPart = link.split('#', 1)[0]!;
        if (pathPart) queue.push(resolve(dirname(page), decodeURIComponent(pathPart)));
      }
    }
    expect(markdownFiles().filter((page) => !reached.has(page)).map((page) => relative(ROOT, page))).toEqual([]);
  });

  it('every option of every command, as --help lists it, is documented under docs/', async () => {
    const docs = markdownFiles().map((page) => readFileSync(page, 'utf8')).join('\n');
    const top = await runCli(['--help']);
    const commands = [...top.stdout.matchAll(/^\s+gauntlet (\w+)/gm)].map((m) => m[1]!);
    expect(commands).toEqual(expect.arrayContaining(['run', 'init', 'worker', 'report', 'bench']));
    const undocumented: string[] = [];
    for (const command of commands) {
      const help = await runCli([command, '--help']);
      expect(help.code, help.stderr).toBe(0);
      const options = [...help.stdout.matchAll(/^\s+(?:-\w, )?--([a-z][\w-]*)/gm)].map((m) => m[1]!);
      expect(options.length, `gauntlet ${command} --help lists options`).toBeGreaterThan(1);
      for (const option of options) {
        if (option === 'help' || option === 'version') continue;
        if (!new RegExp(`--(?:no-)?${option}(?![\\w-])`).test(docs)) undocumented.push(`gauntlet ${command} --${option}`);
      }
    }
    expect(undocumented).toEqual([]);
  }, 120_000);
});
