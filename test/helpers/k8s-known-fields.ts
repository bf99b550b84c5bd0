import { join } from 'node:path';
import ts from 'typescript';
import { ROOT } from './cli.js';

/**
 * Type errors of Kubernetes objects against kubernetes-models' TypeScript types: above all fields those types do not
 * define. The models' validate() checks the fields it knows and lets an unknown one through (a misspelt
 * `completionMode` would be dropped by the API server, or refused by kubectl's strict field validation, but pass
 * validate()); an object literal assigned to the model's type gets TypeScript's excess-property check.
 * Each object is assigned to `I<kind>` from `kubernetes-models/<apiVersion>`. TypeScript may report only the first
 * problem it finds in an object: fix it and run again.
 */
export function typeErrorsOf(objects: { apiVersion: string; kind: string }[]): string[] {
  const file = join(ROOT, 'test', 'k8s-objects.generated.ts');
  // One import and one assignment per object; `owner` says which object each range of the source is about.
  const parts = [
    ...objects.map((o, i) => ({ text: `import type { I${o.kind} as T${i} } from 'kubernetes-models/${o.apiVersion}';\n`, index: i })),
    ...objects.map((o, i) => ({ text: `export const object${i}: T${i} = ${JSON.stringify(o, null, 2)};\n`, index: i })),
  ];
  const source = parts.map((p) => p.text).join('');
  const owner = (position: number): number => {
    let end = 0;
    for (const part of parts) if (position < (end += part.text.length)) return part.index;
    return -1;
  };
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists } = host;
  // The source exists only in memory: nothing is written into the checkout.
  host.getSourceFile = (name, language, ...rest) => (name === file ? ts.createSourceFile(name, source, language) : getSourceFile(name, language, ...rest));
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    if (diagnostic.file?.fileName !== file || diagnostic.start === undefined) return message;
    const object = objects[owner(diagnostic.start)] as { kind: string; metadata?: { name?: string } } | undefined;
    if (!object) return message;
    return `${object.kind} ${object.metadata?.name ?? '(no name)'}: ${message}`;
  });
}
