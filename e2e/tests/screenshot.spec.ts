// The README's screenshot, taken from the real release build on demo data. Every run takes it
// (and checks it shows the dashboard); `UPDATE_SCREENSHOTS=1` also writes docs/screenshot.png.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test, expect } from '../support/fixtures';
import { ROOT } from '../support/mock';

test('screenshot of the dashboard for the README', async ({ dashboard, page }, info) => {
  await page.setViewportSize({ width: 1360, height: 900 });
  await dashboard.open();
  await expect(dashboard.rows).toHaveCount(50);
  await expect(page.locator('.card-row button').first()).toBeVisible();
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  const png = await page.screenshot({ fullPage: false });
  expect(png.length).toBeGreaterThan(20_000);
  await info.attach('dashboard', { body: png, contentType: 'image/png' });
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    fs.writeFileSync(path.join(ROOT, 'docs', 'screenshot.png'), png);
  }
});
