import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Diagnostic } from './diagnostics.js';

const YAML_FILE = /\.ya?ml$/i;

/** Scenario files named by the user: files as given, folders searched recursively, in a stable order. */
export function expandScenarioPaths(paths: string[]): { files: string[]; diagnostics: Diagnostic[] } {
  const files: string[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const path of paths) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      diagnostics.push({ file: path, line: 1, col: 1, code: 'E_MISSING_FILE', message: `no such file or folder: ${path}` });
      continue;
    }
    if (!isDirectory) {
      files.push(path);
      continue;
    }
    const found = walk(path).filter((f) => YAML_FILE.test(f));
    if (found.length === 0) {
      diagnostics.push({ file: path, line: 1, col: 1, code: 'E_NO_SCENARIOS', message: `no .yaml or .yml scenario files in ${path}` });
    }
    files.push(...found);
  }
  return { files: [...new Set(files)], diagnostics };
}

function walk(dir: string): string[] {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return walk(path);
    return entry.isFile() ? [path] : [];
  });
}

export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}
