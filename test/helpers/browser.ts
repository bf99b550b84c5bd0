import type { Browser, Page } from 'playwright-core';
import { requireService } from './services.js';

/** Debian's Chromium, as this machine's network allows it to run (no background or component traffic). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
];

export const chromiumPath = requireService('chromium', 'browser tests of the HTML report', 'chromium');

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS, timeout: 30_000 });
}

export interface PageWatch {
  consoleErrors: string[];
  requests: string[];
  dialogs: string[];
}

/** Records console errors, page errors, every request and every dialog (alert/confirm) a page makes. */
export function watchPage(page: Page, allowedUrl: string): PageWatch {
  const watch: PageWatch = { consoleErrors: [], requests: [], dialogs: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') watch.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => watch.consoleErrors.push(String(error)));
  page.on('request', (request) => {
    if (request.url() !== allowedUrl) watch.requests.push(request.url());
  });
  page.on('dialog', (dialog) => {
    watch.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return watch;
}
