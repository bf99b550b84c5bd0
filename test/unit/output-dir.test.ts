import { describe, expect, it } from 'vitest';
import { outputDirProblem } from '../../src/report/output-dir.js';

/** An error as node:fs throws it. Permission errors cannot be made for real here: the tests run as root. */
function fsError(code: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${path}`), { code, path });
}

describe('outputDirProblem', () => {
  it('names a folder that cannot be written into as not writable', () => {
    expect(outputDirProblem('/srv/reports', fsError('EACCES', '/srv/reports/.gauntlet-write-probe-1-2.tmp'))).toBe('is not writable: permission denied');
    expect(outputDirProblem('/srv/reports', fsError('EPERM', '/srv/reports'))).toBe('is not writable: permission denied');
  });

  it('names the parent that could not be made when the permission is missing higher up', () => {
    expect(outputDirProblem('/srv/a/b/reports', fsError('EACCES', '/srv/a'))).toBe('is not writable: permission denied on /srv/a');
  });

  it('names a read-only file system and a full disk', () => {
    expect(outputDirProblem('/srv/reports', fsError('EROFS', '/srv/reports'))).toBe('is on a read-only file system');
    expect(outputDirProblem('/srv/reports', fsError('ENOSPC', '/srv/reports/x'))).toBe('is on a full disk');
  });

  it('falls back to the error code rather than a stack trace', () => {
    expect(outputDirProblem('/srv/reports', fsError('EIO', '/srv/reports'))).toBe('cannot be written (EIO)');
  });
});
