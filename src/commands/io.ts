export interface CommandIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export const processIO: CommandIO = { stdout: process.stdout, stderr: process.stderr };
