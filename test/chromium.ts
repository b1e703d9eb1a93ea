import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

/**
 * Headless Chromium for the report tests: Debian's `chromium` package (which .ci/run installs),
 * driven by playwright-core, which downloads no browser of its own. Where no Chromium exists the
 * tests are skipped with this message rather than failing on a machine that cannot have one.
 */
const CANDIDATES = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => p !== undefined && p !== '');
export const CHROMIUM = CANDIDATES.find((p) => existsSync(p)) ?? null;
export const NO_CHROMIUM = `no Chromium at ${CANDIDATES.join(' or ')}: install Debian's chromium package (.ci/run does) to run the report's browser tests`;

/** Screenshots a person can look at after the run: test-output/ at the repository root (git-ignored). */
export const SCREENSHOT_DIR = resolve(import.meta.dirname, '..', 'test-output');

export function launchChromium(): Promise<Browser> {
  // No sandbox: CI runs as root in a container. No GPU, no background traffic: the page must be all there is.
  return chromium.launch({ executablePath: CHROMIUM!, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
}

export interface PageCheck {
  readonly consoleErrors: readonly string[];
  /** Every request the page made other than loading its own file. */
  readonly requests: readonly string[];
  /** Per canvas, the number of pixels that are not fully transparent. */
  readonly paintedPixels: readonly number[];
  readonly screenshot: string;
}

/** Opens an HTML file, waits for it to settle, counts what it drew and screenshots it. */
export async function checkPage(browser: Browser, file: string, name: string): Promise<PageCheck> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  const own = pathToFileURL(file).href;
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('request', (r) => {
    if (r.url() !== own && !r.url().startsWith('data:')) requests.push(r.url());
  });
  await page.goto(own, { waitUntil: 'load' });
  // A string, not a function: the project's TypeScript has no DOM types, and this runs in the page.
  const paintedPixels = (await page.evaluate(`Array.from(document.querySelectorAll('canvas'), (c) => {
    const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let painted = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted++;
    return painted;
  })`)) as number[];
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const screenshot = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: screenshot, fullPage: true });
  await page.close();
  return { consoleErrors, requests, paintedPixels, screenshot };
}
