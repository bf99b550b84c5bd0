import { describe, expect, it } from 'vitest';
import { bodyView, PREVIEW_LINES } from '../../src/report/html-view/body-view.js';
import { exchangeView } from '../../src/report/html-view/exchange-view.js';
import type { AssertionResult, Exchange } from '../../src/results/model.js';
import { compileJsonPath } from '../../src/util/json-path.js';

const exchange = (body: string, headers: Record<string, string> = {}, label?: string): Exchange => ({
  label,
  request: { method: 'GET', url: 'http://127.0.0.1/x', headers: {} },
  response: { status: 200, statusText: 'OK', headers, body, bodyBytes: body.length, bodyTruncated: false },
  timings: { startedAt: '', totalMs: 1 },
});
const failed = (name: string): AssertionResult => ({ name, passed: false, expected: 'x', actual: 'y' });

describe('evidence as the HTML report shows it', () => {
  it('marks the JSON field a failed assertion names, even below the preview', () => {
    const items = Array.from({ length: 40 }, (_, i) => ({ id: i }));
    const view = bodyView(JSON.stringify({ items, owner: { role: 'admin' } }), [compileJsonPath('$.owner.role')]);
    expect(view.marked).toBe(true);
    expect(view.preview.filter((l) => l.mark).map((l) => l.text.trim())).toEqual(['"role": "admin"']);
    expect(view.preview.length).toBeLessThan(PREVIEW_LINES + 8);
    expect(view.rest!.lines.filter((l) => l.mark)).toHaveLength(1);
  });

  it('shows a short body whole, with no fold', () => {
    const view = bodyView('{"ok":true}', []);
    expect(view.preview.map((l) => l.text)).toEqual(['{', '  "ok": true', '}']);
    expect(view.rest).toBeUndefined();
  });

  it('cuts a long line of text to the preview and keeps the rest behind the fold', () => {
    const view = bodyView('x'.repeat(5000), []);
    expect(view.preview).toHaveLength(1);
    expect(view.preview[0]!.text.length).toBeLessThan(1600);
    expect(view.rest!.chars).toBe(5000);
  });

  it('marks failing headers, present or missing, of the exchange the assertion concerns', () => {
    const assertions = [failed('header content-type matches'), failed('X-Content-Type-Options is nosniff'), failed('not-found: Server names no version')];
    const success = exchangeView(exchange('', { 'Content-Type': 'text/html', Server: 'x/1.2' }, 'success response'), assertions);
    expect(success.responseHeaders.filter((h) => h.failing).map((h) => `${h.name}=${h.value}`)).toEqual(['Content-Type=text/html', 'x-content-type-options=(absent)']);
    const notFound = exchangeView(exchange('', { Server: 'x/1.2' }, 'not-found response'), assertions);
    expect(notFound.responseHeaders.filter((h) => h.failing).map((h) => h.name)).toEqual(['Server', 'content-type', 'x-content-type-options']);
  });
});
