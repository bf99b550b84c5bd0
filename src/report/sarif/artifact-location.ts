import { isAbsolute, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

export const SRCROOT = '%SRCROOT%';

/**
 * Where a scenario file is, as SARIF wants it: relative to the project root (the folder gauntlet ran in,
 * %SRCROOT%) with URI escaping, so code scanning places the finding on the file in the repository. A file outside
 * the project (a scenario shipped in the package, say) keeps its absolute file: URI and no base.
 */
export function artifactLocation(file: string, cwd = process.cwd()): { uri: string; uriBaseId?: string } {
  const inProject = isAbsolute(file) ? relative(cwd, file) : file;
  if (inProject === '' || inProject.startsWith('..') || isAbsolute(inProject)) return { uri: pathToFileURL(file).href };
  const segments = inProject.split(sep).join('/').split('\\').join('/').split('/');
  return { uri: segments.map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}
