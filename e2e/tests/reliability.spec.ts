// Issue 6: quota exhaustion, server faults, malformed bodies, CORS failures and hostile text.
import { test, expect, KEY } from '../support/fixtures';
import { MockApi } from '../support/mock';

test.describe('quota', () => {
  test.use({ mockFlags: ['--quota', '2', '--quota-window-secs', '6'] });

  test('429: banner with usage and countdown, no calls until reset, then recovery', async ({ dashboard, mock, page }) => {
    await dashboard.open();
    await dashboard.connect();
    // Spend the rest of the quota by paging until the page itself is refused (the banner
    // already says the quota is spent once any call has met its end).
    for (let i = 0; i < 4; i++) {
      if (await page.locator('.updated[data-stale="true"]').count()) break;
      await page.getByRole('button', { name: 'Next' }).click();
      await dashboard.settled();
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
    await dashboard.settled();
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

test('without exposed rate-limit headers, a 429 teaches the key\'s own limit', async ({ dashboard, page }) => {
  // Cross-origin and no Access-Control-Expose-Headers: the browser hides X-RateLimit-*, so the
  // dashboard counts its own calls out of the documented 100 until a 429 states the real limit.
  const api = await MockApi.start(['--expose-rate-headers', 'off', '--quota', '3', '--quota-window-secs', '120'], { serveDist: false });
  try {
    await dashboard.open();
    await dashboard.connect(KEY, api.url);
    await expect(dashboard.rows).toHaveCount(50);
    // The first load's fourth call (a status card) is refused: from then on the meter and the
    // banner count out of 3.
    await expect(page.locator('.quota')).toContainText('0 / 3 calls left');
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(dashboard.banner).toContainText('3 of 3 calls used this hour, 0 remaining');
    await expect(page.locator('body')).not.toContainText('of 100 calls');
  } finally {
    await api.stop();
  }
});

test.describe('a quota window that resets', () => {
  test.use({ mockFlags: ['--quota', '6', '--quota-window-secs', '5'] });

  test('after the reset the meter shows the stated limit, not the documented 100', async ({ dashboard, page }) => {
    await dashboard.open();
    await dashboard.connect();
    await dashboard.expectTotals();
    await expect(page.locator('.quota')).toContainText('2 / 6 calls left');
    // The window (from the first call) resets within 5 s; the meter follows the clock.
    await expect(page.locator('.quota')).toContainText('6 / 6 calls left (est.)', { timeout: 10_000 });
    await expect(page.locator('.quota')).not.toContainText('/ 100');
  });
});

test.describe('the last call of the quota', () => {
  test.use({ mockFlags: ['--quota', '5', '--quota-window-secs', '120'] });

  test('a Refresh that needs 4 calls with 1 left sends 1 and wastes none on refusals', async ({ dashboard, mock, page }) => {
    await dashboard.open();
    await dashboard.connect();
    await dashboard.expectTotals();
    await expect(page.locator('.quota')).toContainText('1 / 5 calls left');
    await mock.resetStats();
    const totals = await page.locator('.card-count').allTextContents();
    await page.getByRole('button', { name: 'Refresh' }).click();
    // The page goes; the three totals wait for the reset as a pause would have them wait.
    // Meanwhile the last totals stay on screen, marked not current.
    await expect(page.locator('.card-error')).toContainText('Totals not current: API key request limit reached');
    await expect(page.locator('.card-count')).toHaveText(totals);
    await expect(page.locator('.card-row')).toHaveAttribute('data-stale', 'true');
    await expect(dashboard.rows).toHaveCount(50);
    await dashboard.settled();
    const log = (await mock.stats()).log;
    expect(log).toHaveLength(1);
    expect(log.filter((c) => c.status === 429)).toEqual([]);
  });
});

test.describe('quota reset', () => {
  // 5 calls per 6-second window: the first load spends 4, a change of filters the fifth and
  // is refused the rest, and after the reset what was refused fits in the next window.
  test.use({ mockFlags: ['--quota', '5', '--quota-window-secs', '6'] });

  test('totals and a detail refused for the quota load by themselves after the reset', async ({ dashboard, mock, page }) => {
    await dashboard.open();
    await dashboard.connect();
    await dashboard.expectTotals();
    // New card totals (3 calls) and a new page (1): one of the four fits in the quota.
    await dashboard.select('Priority').selectOption('high');
    await expect(dashboard.banner).toContainText(/request limit/);
    await expect(page.locator('.card-error')).toContainText('Totals unavailable');
    // While paused, a detail is refused by the dashboard itself, without a call.
    const paused = await mock.calls();
    await dashboard.rows.first().locator('.c-created').click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByRole('alert')).toContainText(/request limit/);
    await expect(dialog.getByRole('alert')).toHaveClass('detail-error');
    expect(await mock.calls()).toBe(paused);

    // After the reset: the totals and the detail arrive without a click, spending only the
    // calls that were refused (at most 3 totals or page, and the detail).
    await expect(page.locator('.card-error')).toHaveCount(0, { timeout: 15_000 });
    await dashboard.expectTotals();
    await expect(dialog.locator('.detail-error')).toHaveCount(0);
    await expect(dialog.getByText('Platform', { exact: true })).toBeVisible();
    await expect(dashboard.banner).toHaveCount(0);
    const spent = (await mock.calls()) - paused;
    expect(spent).toBeGreaterThanOrEqual(2);
    expect(spent).toBeLessThanOrEqual(4);
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

test.describe('a second Connect while the first page is in flight', () => {
  test.use({ mockFlags: ['--latency-ms', '1000'] });

  for (const via of ['Connect', 'Demo data, then Connect']) {
    test(`rows load (${via})`, async ({ dashboard, page }) => {
      await dashboard.open('?limit=10');
      await dashboard.connect();
      // The first page's call is in flight (1 s) while the source changes again.
      if (via !== 'Connect') await page.getByRole('button', { name: 'Demo data' }).click();
      await dashboard.connect();
      // While the live page loads: busy, and no claim that nothing matches.
      await expect(page.locator('section.results')).toHaveAttribute('aria-busy', 'true');
      await expect(page.getByText('No requests match')).toHaveCount(0);
      await expect(dashboard.range).toHaveText('1–10 of 240');
      await expect(dashboard.rows).toHaveCount(10);
      await expect(page.getByText('No requests match')).toHaveCount(0);
    });
  }
});

test.describe('a first page that fails', () => {
  const EVERY = 7;
  test.use({ mockFlags: ['--fail-every', String(EVERY), '--fail-kind', 'malformed'] });

  test('costs its one call: the status cards take its error instead of asking; Refresh loads both', async ({ dashboard, mock, page }) => {
    await dashboard.open();
    // Calls of our own until the dashboard's first call is the one the mock answers malformed.
    await mock.makeNextCallFail(EVERY);
    await mock.resetStats();
    await dashboard.connect();
    await expect(dashboard.banner).toContainText('Not JSON');
    await expect(page.locator('.card-error')).toContainText('Totals unavailable');
    await expect(page.locator('.card-count')).toHaveText(['—', '—', '—', '—']);
    await dashboard.settled();
    expect((await mock.stats()).log.map((c) => `${c.method} ${c.uri}`)).toEqual(['GET /v1/api/requests']);

    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await expect(dashboard.rows).toHaveCount(50);
    await dashboard.expectTotals();
    await expect(dashboard.banner).toHaveCount(0);
    const log = (await mock.stats()).log.map((c) => c.uri);
    expect(log.slice(1).sort()).toEqual([
      '/v1/api/requests',
      '/v1/api/requests?status=completed&limit=1',
      '/v1/api/requests?status=pending&sort=created_at_asc&limit=100',
      '/v1/api/requests?status=timeout&limit=1',
    ]);
  });
});

test.describe('a Refresh that fails', () => {
  const EVERY = 7;
  test.use({ mockFlags: ['--fail-every', String(EVERY), '--fail-kind', 'malformed'] });

  test('keeps the last totals on screen, marked not current, as the table keeps its rows', async ({ dashboard, mock, page }) => {
    await dashboard.open();
    await dashboard.connect();
    await dashboard.expectTotals();
    const totals = await page.locator('.card-count').allTextContents();
    await expect(page.locator('.card-row')).toHaveAttribute('data-stale', 'false');
    // The Refresh's first call, the page, is the one the mock answers malformed.
    await mock.makeNextCallFail(EVERY);
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await expect(dashboard.banner).toContainText('Not JSON');
    await expect(page.locator('.card-error')).toHaveText(
      /^Totals not current: .+\. These are from the last load that succeeded\.$/,
    );
    await expect(page.locator('.card-count')).toHaveText(totals);
    await expect(page.locator('.card-row')).toHaveAttribute('data-stale', 'true');

    // Another filter has no totals of its own yet: nothing is kept for it.
    await mock.makeNextCallFail(EVERY);
    await dashboard.select('Priority').selectOption('high');
    await expect(page.locator('.card-error')).toContainText('Totals unavailable');
    await expect(page.locator('.card-count')).toHaveText(['—', '—', '—', '—']);

    // Back to the first filters (at most 4 calls, none of them a failing one): current
    // totals, no note.
    await dashboard.select('Priority').selectOption('');
    await expect(page.locator('.card-error')).toHaveCount(0);
    await dashboard.expectTotals();
    await expect(page.locator('.card-row')).toHaveAttribute('data-stale', 'false');
  });
});

test.describe('a failed page load', () => {
  test.use({ mockFlags: ['--fail-every', '2', '--fail-kind', 'malformed'] });

  test('Next again retries it; the pager matches the rows shown', async ({ dashboard, mock, page }) => {
    const { requests } = await mock.dataset();
    await dashboard.open('?limit=20');
    await dashboard.connect();
    await dashboard.expectRowIds(requests.slice(0, 20).map((r) => r.id));
    const next = page.getByRole('button', { name: 'Next' });
    // Every second call fails: find a Next whose answer is malformed.
    for (let i = 0; i < 4 && !(await dashboard.banner.count()); i++) {
      await next.click();
      await expect(page.locator('section.results')).toHaveAttribute('aria-busy', 'false');
      await dashboard.settled();
    }
    await expect(dashboard.banner).toContainText('Not JSON');
    const asked = Number(new URL(page.url()).searchParams.get('offset'));
    const shownOffset = asked - 20;
    await expect(dashboard.range).toHaveText(`${shownOffset + 1}–${shownOffset + 20} of 240`);
    const before = await mock.calls();
    await next.click(); // the failed page again: one call
    await expect.poll(() => mock.calls()).toBe(before + 1);
    await dashboard.expectRowIds(requests.slice(asked, asked + 20).map((r) => r.id));
    await expect(dashboard.range).toHaveText(`${asked + 1}–${asked + 20} of 240`);
    await expect(dashboard.banner).toHaveCount(0);
  });
});

test.describe('Refresh clicked twice', () => {
  test.use({ mockFlags: ['--latency-ms', '300'] });

  test('pays for the view once: a second click while it loads does nothing', async ({ dashboard, mock, page }) => {
    await dashboard.open();
    await dashboard.connect();
    await dashboard.expectTotals();
    await mock.resetStats();
    const refresh = page.getByRole('button', { name: 'Refresh', exact: true });
    await refresh.dblclick();
    await expect(refresh).toHaveAttribute('aria-disabled', 'true');
    await expect(refresh).toHaveAttribute('aria-disabled', 'false');
    await expect(refresh).toBeFocused();
    await dashboard.expectTotals();
    await dashboard.settled();
    // The page and the three status cards' totals, once.
    expect(await mock.calls()).toBe(4);
    // Once the page is in, Refresh works again (the same four calls).
    await refresh.click();
    await expect.poll(() => mock.calls()).toBe(8);
  });
});

test('two tabs on one key, without readable rate headers: each meter counts the other tab\'s calls as they happen', async ({ dashboard, page, context }) => {
  // Cross-origin and no Access-Control-Expose-Headers: the meter is this browser's own count.
  const api = await MockApi.start(['--expose-rate-headers', 'off'], { serveDist: false });
  try {
    await dashboard.remembered(KEY, api.url);
    await dashboard.open();
    await dashboard.expectTotals();
    const meter = page.locator('.quota');
    await expect(meter).toContainText('96 / 100 calls left (est.)');
    // A second tab of the same browser (same storage), on another view: 4 calls more.
    const other = await context.newPage();
    await other.goto(page.url().replace(/\?.*$/, '') + '?status=completed');
    await expect(other.locator('.quota')).toContainText('92 / 100 calls left (est.)');
    expect(await api.calls()).toBe(8);
    // The first tab follows without a call or a reload of its own.
    await expect(meter).toContainText('92 / 100 calls left (est.)');
  } finally {
    await api.stop();
  }
});
