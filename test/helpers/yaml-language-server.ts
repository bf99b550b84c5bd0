import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const YAML_LANGUAGE_SERVER = 'yaml-language-server@1.25.0';

/**
 * The installed yaml-language-server's executable, or undefined. It is a devDependency; without it the caller
 * skips with a loud reason, and with GAUNTLET_REQUIRE_SERVICES=1 (set by .ci/run) the test file fails.
 */
export function yamlLanguageServerBin(): string | undefined {
  try {
    const manifest = createRequire(import.meta.url).resolve('yaml-language-server/package.json');
    return join(dirname(manifest), 'bin', 'yaml-language-server');
  } catch {
    const message = `yaml-language-server is not installed: editor completion is untested (npm install --save-dev ${YAML_LANGUAGE_SERVER})`;
    if (process.env.GAUNTLET_REQUIRE_SERVICES === '1') throw new Error(`GAUNTLET_REQUIRE_SERVICES=1 but ${message}`);
    console.warn(`SKIPPING: ${message}`);
    return undefined;
  }
}

interface Message {
  id?: number;
  method?: string;
  params?: any;
  result?: any;
  error?: { message: string };
}

export interface Diagnostic {
  message: string;
  range: { start: { line: number; character: number } };
}

export interface CompletionItem {
  label: string;
  documentation?: string | { kind: string; value: string };
}

/** An editor's side of the Language Server Protocol, over the server's stdin and stdout: just what the tests ask. */
export class YamlEditor {
  private readonly server: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  private stderr = '';
  private readonly published = new Map<string, Diagnostic[]>();
  private readonly waiting = new Map<string, (diagnostics: Diagnostic[]) => void>();

  private constructor(bin: string) {
    this.server = spawn(process.execPath, [bin, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.server.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    this.server.stderr.on('data', (chunk) => (this.stderr += chunk));
    this.server.on('exit', (code) => {
      for (const { reject } of this.pending.values()) reject(new Error(`yaml-language-server exited (${code}): ${this.stderr}`));
      this.pending.clear();
    });
  }

  /** Starts the server as VS Code does: Markdown documentation, completion and hover on, no schema store download. */
  static async start(bin: string, rootDir: string): Promise<YamlEditor> {
    const editor = new YamlEditor(bin);
    await editor.request('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(rootDir).href,
      capabilities: {
        textDocument: {
          completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
          hover: { contentFormat: ['markdown', 'plaintext'] },
        },
        workspace: { configuration: true },
      },
    });
    editor.notify('initialized', {});
    editor.notify('workspace/didChangeConfiguration', { settings: { yaml: YAML_SETTINGS } });
    return editor;
  }

  /** Opens a document (as its file URI) with the text given. */
  open(file: string, text: string): string {
    const uri = pathToFileURL(file).href;
    this.published.delete(uri);
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    return uri;
  }

  /** The problems the server reports for an open document (the squiggles an editor draws). */
  diagnostics(uri: string): Promise<Diagnostic[]> {
    const known = this.published.get(uri);
    if (known) return Promise.resolve(known);
    return new Promise((resolve) => this.waiting.set(uri, resolve));
  }

  async complete(uri: string, line: number, character: number): Promise<CompletionItem[]> {
    const answer = await this.request('textDocument/completion', { textDocument: { uri }, position: { line, character } });
    return (Array.isArray(answer) ? answer : (answer?.items ?? [])) as CompletionItem[];
  }

  /** The hover text (Markdown) at a position, or '' when there is none. */
  async hover(uri: string, line: number, character: number): Promise<string> {
    const answer = await this.request('textDocument/hover', { textDocument: { uri }, position: { line, character } });
    const contents = answer?.contents;
    return typeof contents === 'string' ? contents : (contents?.value ?? '');
  }

  async stop(): Promise<void> {
    if (this.server.exitCode !== null) return;
    const exited = new Promise((resolve) => this.server.once('exit', resolve));
    await this.request('shutdown', null).catch(() => undefined);
    this.notify('exit', null);
    const timer = setTimeout(() => this.server.kill('SIGKILL'), 2_000);
    await exited;
    clearTimeout(timer);
  }

  private request(method: string, params: unknown): Promise<any> {
    const id = this.nextId++;
    this.send({ id, method, params });
    return new Promise((resolve, reject) => {
      this.pending.set(id, {
        resolve: (m) => (m.error ? reject(new Error(`${method}: ${m.error.message}`)) : resolve(m.result)),
        reject,
      });
    });
  }

  private notify(method: string, params: unknown): void {
    this.send({ method, params });
  }

  private send(message: Message): void {
    const body = JSON.stringify({ jsonrpc: '2.0', ...message });
    this.server.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())?.[1]);
      const start = headerEnd + 4;
      if (this.buffer.length < start + length) return;
      const message = JSON.parse(this.buffer.subarray(start, start + length).toString()) as Message;
      this.buffer = this.buffer.subarray(start + length);
      this.handle(message);
    }
  }

  private handle(message: Message): void {
    if (message.method && message.id !== undefined) {
      // The server asks for its settings (workspace/configuration) and registers capabilities; answer as an editor.
      const result = message.method === 'workspace/configuration' ? message.params.items.map((item: { section?: string }) => (item.section === 'yaml' ? YAML_SETTINGS : null)) : null;
      this.send({ id: message.id, result });
      return;
    }
    if (message.id !== undefined) {
      this.pending.get(message.id)?.resolve(message);
      this.pending.delete(message.id);
      return;
    }
    if (message.method === 'textDocument/publishDiagnostics') {
      const { uri, diagnostics } = message.params as { uri: string; diagnostics: Diagnostic[] };
      this.published.set(uri, diagnostics);
      this.waiting.get(uri)?.(diagnostics);
      this.waiting.delete(uri);
    }
  }
}

const YAML_SETTINGS = { validate: true, completion: true, hover: true, schemaStore: { enable: false } };
