// Issue 6: quota exhaustion, server faults, malformed bodies, CORS failures and hostile text.
import { test, expect, KEY } from '../support/fixtures';
import { MockApi } from '../support/mock';

test.describe('quota', () => {
  test.use({ mockFlags: ['--quota', '2', '--quota-window-secs', '6'] });

  test('429: banner with usage and countdown, no calls until reset, then recovery', async ({ dashboard, mock, page }) => {
    await dashboard.open();
    await dashboard.connect();
    // Spend the rest of the quota by paging until the API refuses.
    for (let i = 0; i < 4; i++) {
      if (await dashboard.banner.count()) break;
      await page.getByRole('button', { name: 'Next' }).click();
      await page.waitForTimeout(200);
    }
    // The API's 429 message, or — when its rate-limit headers already said 0 remaining — the
    // same figures without spending a call on a refusal.
    await expect(dashboard.banner).toContainText(/API key request limit (exceeded|reached)/);
    await expect(dashboard.banner).toContainText('2 of 2 calls used this hour, 0 remaining');
    await expect(dashboard.banner).toContainText(/Quota resets in \d+ seconds?/);
    // What was shown stays on screen, marked as not current.
    await expect(dashboard.rows.first()).toBeVisible();
    await expect(page.locator('.updated')).toContainText('not current');
    await expect(page.locator('.quota')).toContainText('0 / 2 calls left');

    // While paused, going to a page not seen before sends nothing.
    const during = await mock.calls();
    const range = await dashboard.range.textContent();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.waitForTimeout(500);
    expect(await mock.calls()).toBe(during);
    await expect(dashboard.banner).toBeVisible();
    await expect(dashboard.range).toHaveText(range!);

    // After the reset the dashboard recovers by itself.
    await expect(dashboard.banner).toHaveCount(0, { timeout: 15_000 });
    await expect(dashboard.range).not.toHaveText(range!);
    await expect(page.locator('.updated')).not.toContainText('not current');
    expect(await mock.calls()).toBeGreaterThan(during);
  });
});

test.describe('server errors', () => {
  test.use({ mockFlags: ['--fail-every', '2'] });

  test('every second call failing with 500: data still arrives through retries', async ({ dashboard, mock, page }) => {
    const { requests } = await mock.dataset();
    await dashboard.open();
    await dashboard.connect();
    await dashboard.expectRowIds(requests.slice(0, 50).map((r) => r.id));
    for (const start of [50, 100, 150]) {
      await page.getByRole('button', { name: 'Next' }).click();
      await dashboard.expectRowIds(requests.slice(start, start + 50).map((r) => r.id));
    }
    await expect(dashboard.banner).toHaveCount(0);
    const log = (await mock.stats()).log;
    expect(log.some((c) => c.status === 500)).toBe(true);
  });
});

test.describe('malformed bodies', () => {
  test.use({ mockFlags: ['--fail-every', '1', '--fail-kind', 'malformed'] });

  test('a body that is not JSON becomes a readable error', async ({ dashboard }) => {
    await dashboard.open();
    await dashboard.connect();
    await expect(dashboard.banner).toContainText('The API sent a response the dashboard cannot read');
    await expect(dashboard.banner).toContainText('Not JSON');
  });
});

test('an API that does not allow this origin (CORS) is explained', async ({ dashboard, page }) => {
  const api = await MockApi.start(['--cors', 'off'], { serveDist: false });
  try {
    await dashboard.open();
    await dashboard.connect(KEY, api.url);
    await expect(dashboard.banner).toContainText('Could not reach the API', { timeout: 15_000 });
    await expect(dashboard.banner).toContainText('CORS');
    await expect(dashboard.banner).toContainText('proxy');
    await expect(page.locator('body')).not.toContainText(KEY);
  } finally {
    await api.stop();
  }
});

test.describe('hostile text', () => {
  test.use({ mockFlags: ['--hostile-every', '2'] });

  test('request_text and response_data render as text and run nothing', async ({ dashboard, page }) => {
    await dashboard.open();
    await dashboard.connect();
    await expect(dashboard.rows).toHaveCount(50);
    const table = page.locator('table.requests tbody');
    await expect(table).toContainText('<script>window.__xss=2</script> urgent');
    await expect(table).toContainText('<img src=x onerror="window.__xss=1"> please review');
    expect(await page.locator('main img, main script').count()).toBe(0);
    expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();
  });
});
