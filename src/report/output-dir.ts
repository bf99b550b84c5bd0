import { lstatSync, mkdirSync, readlinkSync, statSync, unlinkSync, writeFileSync, type Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import { GauntletError } from '../util/errors.js';

/**
 * Makes the report folder and proves a file can be written in it, so that a bad --output-dir is refused before
 * anything is sent rather than after the run, when its report would be lost. `outcome` ends the message.
 */
export function assertWritableOutputDir(dir: string, outcome = 'no report can be written there'): void {
  try {
    mkdirSync(dir, { recursive: true });
    const probe = join(dir, `.gauntlet-write-probe-${process.pid}-${Date.now()}.tmp`);
    writeFileSync(probe, '', { flag: 'wx' });
    unlinkSync(probe);
  } catch (error) {
    throw new GauntletError('E_OUTPUT_DIR', `--output-dir ${dir} ${outputDirProblem(dir, error as NodeJS.ErrnoException)}: ${outcome}`);
  }
}

/** What is wrong with the folder, in words, from the error that making or writing into it met. */
export function outputDirProblem(dir: string, error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'EEXIST':
    case 'ENOTDIR':
    case 'ELOOP':
    case 'ENOENT':
      return notAFolder(dir, error.code);
    case 'EACCES':
    case 'EPERM':
      return `is not writable: permission denied${outside(dir, error.path) ? ` on ${error.path}` : ''}`;
    case 'EROFS':
      return 'is on a read-only file system';
    case 'ENOSPC':
    case 'EDQUOT':
      return 'is on a full disk';
    default:
      return `cannot be written (${error.code ?? error.message})`;
  }
}

/** An error's path that is not the folder or a file in it: a parent that could not be made. */
function outside(dir: string, path: string | undefined): path is string {
  return path !== undefined && path !== dir && dirname(path) !== dir;
}

/** The path, or the nearest existing path on its way up, is something other than a folder: say what and where. */
function notAFolder(dir: string, code: string | undefined): string {
  for (let path = dir; ; path = dirname(path)) {
    const found = describePath(path);
    if (found === 'folder') return `cannot be made (${code})`;
    if (found) return path === dir ? `is ${found}` : `is under ${path}, which is ${found}`;
    if (dirname(path) === path) return `cannot be made (${code})`;
  }
}

/** 'folder' for a folder (or a link to one); what else it is, in words; undefined when nothing is there. */
function describePath(path: string): string | undefined {
  let link;
  try {
    link = lstatSync(path);
  } catch {
    return undefined;
  }
  if (!link.isSymbolicLink()) return link.isDirectory() ? 'folder' : `${kindOf(link)}, not a folder`;
  const target = readlinkSync(path);
  try {
    const resolved = statSync(path);
    return resolved.isDirectory() ? 'folder' : `a symbolic link to ${target}, ${kindOf(resolved)}, not a folder`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ELOOP' ? `a symbolic link in a loop (${target})` : `a symbolic link to ${target}, which does not exist`;
  }
}

function kindOf(stats: Stats): string {
  return stats.isFile() ? 'a file' : 'a special file';
}
