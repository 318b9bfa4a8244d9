// The dashboard in headless Chromium, served over HTTP on 127.0.0.1 from a journal and an alert
// archive filled through real association into PostgreSQL: checkDashboard finds the visits, opens
// the one with DIA sources, checks the waterfall and a cutout, and saves a screenshot. Hostile text
// in an error stays text. One browser for the whole file.

import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDashboard, launchChromium, SCREENSHOT_DIR } from '../support/dashboard-browser';
import {
  type DashboardFixture,
  type DashboardUnderTest,
  dashboardOverPostgres,
  HOSTILE_ERROR,
} from '../support/dashboard-fixtures';

let served: DashboardUnderTest | undefined;
let fixture: DashboardFixture;
let url: string;
let browser: Browser;

beforeAll(async () => {
  served = await dashboardOverPostgres('dashboard browser test');
  fixture = served.fixture;
  url = await served.app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

describe('the dashboard in Chromium', () => {
  it('lists the visits, opens the one with DIA sources, draws its waterfall and cutouts', async () => {
    const screenshotPath = join(SCREENSHOT_DIR, 'dashboard-fixture.png');
    const report = await checkDashboard(url, { screenshotPath, expectVisits: 3, browser });
    expect(report.visits).toBe(3);
    expect(report.opened).toBe(`LATISS/${encodeURIComponent(fixture.withSources.group)}/0`);
    expect(report.steps).toEqual(fixture.withSources.steps.map((s) => s.name));
    expect(report.diaSources).toBe(fixture.transients.length);
    expect(report.cutout).toMatchObject({ width: 120, height: 120 });
    expect(report.cutout.bytes).toBeGreaterThan(100);
    expect(existsSync(screenshotPath) && statSync(screenshotPath).size).toBeGreaterThan(10_000);
  });

  it('opens the visit it is told to, and fails with the reason when that visit has no DIA sources', async () => {
    const screenshotPath = join(SCREENSHOT_DIR, 'dashboard-fixture-chosen.png');
    rmSync(join(SCREENSHOT_DIR, 'dashboard-fixture-chosen-failed.png'), { force: true });
    const { group, detector } = fixture.withSources;
    const chosen = await checkDashboard(url, {
      screenshotPath,
      expectVisits: 1,
      browser,
      open: { instrument: 'LATISS', group, detector },
    });
    expect(chosen.opened).toBe(`LATISS/${encodeURIComponent(group)}/0`);
    const fallback = { instrument: 'LATISS', group: fixture.fallback.group, detector: 0 };
    await expect(
      checkDashboard(url, { screenshotPath, expectVisits: 1, browser, open: fallback }),
    ).rejects.toThrow(/no visit LATISS\/2026-11-28T02\/0 on the page has DIA sources/);
    await expect(
      checkDashboard(url, { screenshotPath, expectVisits: 4, browser, timeoutMs: 500 }),
    ).rejects.toThrow(/expected at least 4 visit rows, the page shows 3/);
    expect(existsSync(join(SCREENSHOT_DIR, 'dashboard-fixture-chosen-failed.png'))).toBe(true);
  });

  it('shows hostile error text as text, and the APDB counts and the fallback', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(url);
      const error = page.getByTestId('error-row').first();
      await error.waitFor();
      expect(await error.textContent()).toContain(HOSTILE_ERROR);
      expect(await page.locator('[data-hostile]').count()).toBe(0);
      expect(await page.evaluate('window.hostile')).toBeUndefined();
      const counts = page.getByTestId('apdb-counts');
      await counts.getByTestId('apdb-count').first().waitFor();
      expect(await counts.textContent()).toMatch(/DiaSource\s*3/);
      const fallbackRow = page.locator(`[data-testid="visit-row"][data-key$="${fixture.fallback.group}/0"]`);
      expect(await fallbackRow.getByTestId('visit-pipeline').textContent()).toMatch(/SingleFrame\s*fallback/);
    } finally {
      await page.close();
    }
  });
});
