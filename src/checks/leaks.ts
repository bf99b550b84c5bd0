/** Signs of a stack trace or internal file paths in a response body, across common runtimes. */
const STACK_TRACE_PATTERNS: [RegExp, string][] = [
  [/\n\s+at [^\n]+(\(|:\d+)/, 'a JavaScript stack frame'],
  [/node:internal\//, 'a Node.js internal path'],
  [/Traceback \(most recent call last\)/, 'a Python traceback'],
  [/\n\s+at [\w$.]+\([\w$]+\.java:\d+\)/, 'a Java stack frame'],
  [/Exception in thread "/, 'a Java exception'],
  [/ at [\w.]+\.[\w<>]+\(.*\) in .+:line \d+/, 'a .NET stack frame'],
  [/\.(?:js|ts|mjs|cjs|py|rb|php|go|java):\d+(?::\d+)?\b/, 'a source file and line number'],
  [/goroutine \d+ \[running\]/, 'a Go panic'],
  [/<b>(?:Fatal error|Warning)<\/b>:/, 'a PHP error'],
];

/** What kind of internal detail the text leaks, or undefined. */
export function findStackTrace(text: string): string | undefined {
  for (const [pattern, what] of STACK_TRACE_PATTERNS) if (pattern.test(text)) return what;
  return undefined;
}
