import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';

/**
 * The largest scenario, profile or file named in one (`${file:...}`, certificates) that is read. Hand-written
 * scenarios are a few KiB; a bigger file is refused before it is read, as parsing one costs memory and time
 * many times its size.
 */
export const MAX_INPUT_FILE_BYTES = 5 * 1024 * 1024;

export type InputFile = { text: string } | { code: 'E_MISSING_FILE' | 'E_NOT_A_FILE' | 'E_FILE_TOO_LARGE'; reason: string };

/**
 * Reads a file the user named, refusing what would hang or exhaust memory: a FIFO (opening it waits for a
 * writer), a device, a folder, or a file over MAX_INPUT_FILE_BYTES. `reason` completes "cannot read <path>: ".
 */
export function readInputFile(path: string): InputFile {
  let fd: number;
  try {
    const refused = refusal(statSync(path));
    if (refused) return refused;
    // Non-blocking, so a file swapped for a FIFO after the check cannot hang the open; fstat then refuses it.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return unreadable(error);
  }
  try {
    const refused = refusal(fstatSync(fd));
    if (refused) return refused;
    const text = readAtMost(fd, MAX_INPUT_FILE_BYTES);
    return text === undefined ? tooLarge() : { text };
  } catch (error) {
    return unreadable(error);
  } finally {
    closeSync(fd);
  }
}

function unreadable(error: unknown): InputFile {
  return { code: 'E_MISSING_FILE', reason: String((error as NodeJS.ErrnoException).code ?? error) };
}

function refusal(stats: Stats): InputFile | undefined {
  if (!stats.isFile()) return { code: 'E_NOT_A_FILE', reason: `not a regular file: ${kindOf(stats)}; only regular files are read` };
  if (stats.size > MAX_INPUT_FILE_BYTES) return tooLarge(stats.size);
  return undefined;
}

/** The file's text, or undefined past `limit` bytes: stat's size may be stale or 0 (a growing file, /proc). */
function readAtMost(fd: number, limit: number): string | undefined {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.alloc(64 * 1024);
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) return Buffer.concat(chunks, total).toString('utf8');
    total += n;
    if (total > limit) return undefined;
    chunks.push(chunk.subarray(0, n));
  }
}

function tooLarge(size?: number): InputFile {
  const mib = (bytes: number) => `${Number((bytes / 1024 / 1024).toFixed(1))} MiB`;
  return { code: 'E_FILE_TOO_LARGE', reason: `${size === undefined ? 'it is' : `at ${mib(size)} it is`} larger than ${mib(MAX_INPUT_FILE_BYTES)}, the most gauntlet reads from one file` };
}

function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isDirectory()) return 'a folder';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a file';
}
