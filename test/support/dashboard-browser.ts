// Drives the dashboard in headless Chromium (Debian's /usr/bin/chromium through playwright-core): the
// page lists the visits, one with DIA sources opens, its waterfall has one bar per step the API
// reports, a cutout image loads and its PNG decodes; a screenshot is saved. Used after a loop run
// (the end-to-end test) and against a fixture (the dashboard's own browser test).

import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { repoRoot } from './local-services';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
];
/** Screenshots go here (.local/ is git-ignored). */
export const SCREENSHOT_DIR = `${repoRoot}/.local/screenshots`;

export class DashboardCheckError extends Error {
  override readonly name = 'DashboardCheckError';
}

/** One browser for a whole test file: start-up is the expensive part. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH))
    throw new DashboardCheckError(
      `${CHROMIUM_PATH} is missing: run "bash scripts/install-test-tools.sh" (installs Debian's chromium)`,
    );
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

export interface CheckDashboardOptions {
  /** Where the screenshot goes (folders are created). */
  readonly screenshotPath: string;
  /** The page must list at least this many visit rows. */
  readonly expectVisits: number;
  /** @default - a browser of its own, closed at the end */
  readonly browser?: Browser;
  /** The visit to open (it must have DIA sources). @default - the first listed that has some */
  readonly open?: { readonly instrument: string; readonly group: string; readonly detector: number };
  /** How long to wait for the visits and the opened view. @default 15000 */
  readonly timeoutMs?: number;
}

export interface DashboardCheckReport {
  readonly visits: number;
  /** Key (instrument/group/detector) of the visit opened. */
  readonly opened: string;
  readonly steps: readonly string[];
  readonly diaSources: number;
  readonly cutout: {
    readonly url: string;
    readonly bytes: number;
    readonly width: number;
    readonly height: number;
  };
  readonly screenshotPath: string;
}

interface DetectorViewBody {
  readonly steps: ReadonlyArray<{ readonly name: string }>;
  readonly diaSources: readonly unknown[];
}

export async function checkDashboard(
  url: string,
  options: CheckDashboardOptions,
): Promise<DashboardCheckReport> {
  const browser = options.browser ?? (await launchChromium());
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  page.setDefaultTimeout(options.timeoutMs ?? 15_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  try {
    await page.goto(url);
    const visits = await waitForVisits(page, options.expectVisits);
    const opened = await openVisitWithSources(page, options.open);
    const api = (await (
      await page.request.get(new URL(`/api/visits/${opened}`, url).toString())
    ).json()) as DetectorViewBody;
    const steps = await checkWaterfall(page, api);
    const cutout = await checkCutout(page, url);
    await screenshot(page, options.screenshotPath);
    if (pageErrors.length > 0)
      throw new DashboardCheckError(`the page reported errors: ${pageErrors.join(' | ')}`);
    return {
      visits,
      opened,
      steps,
      diaSources: api.diaSources.length,
      cutout,
      screenshotPath: options.screenshotPath,
    };
  } catch (error) {
    // What the page showed when the check failed is the first thing to look at.
    await screenshot(page, options.screenshotPath.replace(/(\.png)?$/, '-failed.png')).catch(() => undefined);
    throw error;
  } finally {
    await context.close();
    if (!options.browser) await browser.close();
  }
}

async function screenshot(page: Page, path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path, fullPage: true });
}

async function waitForVisits(page: Page, expected: number): Promise<number> {
  const rows = page.getByTestId('visit-row');
  try {
    await rows.nth(Math.max(0, expected - 1)).waitFor();
  } catch {
    throw new DashboardCheckError(
      `expected at least ${expected} visit rows, the page shows ${await rows.count()}`,
    );
  }
  return rows.count();
}

/** Clicks the chosen visit, or the first whose alerts carried DIA sources; returns its key. */
async function openVisitWithSources(page: Page, open: CheckDashboardOptions['open']): Promise<string> {
  const wanted =
    open && [open.instrument, open.group, open.detector].map((p) => encodeURIComponent(p)).join('/');
  const rows = page.locator('[data-testid="visit-row"]:not([data-dia-sources="0"])');
  const row = wanted ? rows.and(page.locator(`[data-key="${wanted}"]`)) : rows.first();
  if ((await row.count()) === 0)
    throw new DashboardCheckError(
      `no visit${wanted ? ` ${wanted}` : ''} on the page has DIA sources to open`,
    );
  const key = (await row.getAttribute('data-key')) ?? '';
  await row.click();
  await page.getByTestId('visit-detail').waitFor({ state: 'visible' });
  await page.getByTestId('dia-source-row').first().waitFor();
  return key;
}

async function checkWaterfall(page: Page, api: DetectorViewBody): Promise<string[]> {
  if (api.steps.length === 0) throw new DashboardCheckError('the opened visit has no steps to draw');
  // Measured in one pass inside the page: the view redraws on every poll, so bars fetched one by one
  // may be replaced (and measure as nothing) in between.
  const drawn = await page.$$eval('[data-testid="waterfall-bar"]', (bars) =>
    bars.map((bar) => ({
      step: bar.getAttribute('data-step') ?? '',
      width: bar.getBoundingClientRect().width,
    })),
  );
  const expected = api.steps.map((s) => s.name);
  const names = drawn.map((d) => d.step);
  if (names.join('\n') !== expected.join('\n'))
    throw new DashboardCheckError(
      `waterfall bars ${JSON.stringify(names)} do not match the steps ${JSON.stringify(expected)}`,
    );
  const flat = drawn.filter((d) => !(d.width > 0));
  if (flat.length > 0)
    throw new DashboardCheckError(`waterfall bars without width: ${flat.map((d) => d.step).join(', ')}`);
  return names;
}

async function checkCutout(page: Page, base: string): Promise<DashboardCheckReport['cutout']> {
  const image = page.locator('[data-testid^="cutout-"]').first();
  await image.waitFor();
  // Page-side code as text: this project compiles without the DOM library.
  await page.waitForFunction(`document.querySelector('img[data-testid^="cutout-"]')?.complete === true`);
  const naturalWidth = await image.evaluate((img: { naturalWidth: number }) => img.naturalWidth);
  if (!(naturalWidth > 0))
    throw new DashboardCheckError('the first cutout <img> did not load (naturalWidth 0)');
  const src = new URL((await image.getAttribute('src')) ?? '', base).toString();
  const response = await page.request.get(src);
  const bytes = await response.body();
  if (!response.ok() || bytes.length === 0)
    throw new DashboardCheckError(`cutout ${src} answered ${response.status()} with ${bytes.length} bytes`);
  const png = PNG.sync.read(bytes);
  if (png.width !== naturalWidth)
    throw new DashboardCheckError(`cutout PNG is ${png.width} px wide, the page drew ${naturalWidth}`);
  return { url: src, bytes: bytes.length, width: png.width, height: png.height };
}
