// Defects found by exploratory testing (issue 23), each checked the way it was found.
import { test, expect, KEY } from '../support/fixtures';
import { MockApi } from '../support/mock';

/** Moves the mock's data on, as reviewers and clients would meanwhile. */
async function change(mock: MockApi, body: Record<string, unknown>) {
  const r = await fetch(`${mock.url}/__mock/change`, { method: 'POST', body: JSON.stringify(body) });
  expect(r.status).toBe(200);
  return r.json();
}

test.describe('the end of the quota met by another call than the page', () => {
  test('without the rate-limit headers: the one banner, with the usage and an estimated countdown', async ({ dashboard, page }) => {
    // Cross-origin, no Access-Control-Expose-Headers: the browser hides X-RateLimit-*. The
    // first load spends 1 (page) + 3 (cards): the last card call meets the end of the quota.
    const api = await MockApi.start(['--expose-rate-headers', 'off', '--quota', '3'], { serveDist: false });
    try {
      await dashboard.open();
      await dashboard.connect(KEY, api.url);
      await expect(dashboard.rows).toHaveCount(50);
      await expect(dashboard.banner).toContainText(/API key request limit (exceeded|reached)/);
      await expect(dashboard.banner).toContainText('3 of 3 calls used this hour, 0 remaining');
      await expect(dashboard.banner).toContainText(/Quota resets in about \d+ (hours?|minutes?|seconds?) \(estimated/);
      await expect(page.getByRole('button', { name: 'Refresh', exact: true })).toBeDisabled();
    } finally {
      await api.stop();
    }
  });

  test.describe('with the headers', () => {
    test.use({ mockFlags: ['--quota', '3'] });

    test('the card call held back says when calls come back', async ({ dashboard, mock }) => {
      await dashboard.open();
      await dashboard.connect();
      await expect(dashboard.rows).toHaveCount(50);
      await expect(dashboard.banner).toContainText('API key request limit reached');
      await expect(dashboard.banner).toContainText(/Quota resets in \d+ (hours?|minutes?)\./);
      // Held back, not refused: nothing was spent on a 429.
      await dashboard.settled();
      expect((await mock.stats()).log.filter((c) => c.status === 429)).toEqual([]);
    });
  });
});

test.describe('auto-refresh of a status picked in the page', () => {
  test.use({ pageClock: 'playwright' });

  test('the card of that status follows the reloaded page', async ({ dashboard, mock, page }) => {
    const { requests } = await mock.dataset();
    const pending = requests.filter((r) => r.status === 'pending').length;
    await dashboard.open();
    await dashboard.connect();
    await dashboard.expectTotals();
    await dashboard.select('Status').selectOption('pending');
    await expect(dashboard.range).toHaveText(new RegExp(`of ${pending}$`));
    const card = page.locator('.status-card[data-status="pending"] .card-count');
    await expect(card).toHaveText(String(pending));
    await page.getByLabel('Auto-refresh').selectOption('30');
    // Four pending requests are answered meanwhile.
    expect((await change(mock, { answer: 4 })).answered).toHaveLength(4);
    await mock.resetStats();
    await page.clock.fastForward('00:31');
    await expect(dashboard.range).toHaveText(new RegExp(`of ${pending - 4}$`));
    await expect(card).toHaveText(String(pending - 4));
    await dashboard.settled();
    // The page's one call, no card call.
    expect((await mock.stats()).log.map((c) => c.uri)).toEqual(['/v1/api/requests?status=pending']);
  });
});

test('at 1280 px the ten columns fit before loop names are loaded (raw ids)', async ({ dashboard, page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await dashboard.open();
  await dashboard.connect();
  await expect(dashboard.rows).toHaveCount(50);
  await expect(page.locator('table.requests tbody .c-loop code').first()).toBeVisible();
  const wrap = page.locator('.results .table-wrap');
  const overflow = await wrap.evaluate((el) => el.scrollWidth - el.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test.describe('Analyze all with fewer calls left than it needs', () => {
  test.use({ mockFlags: ['--quota', '6', '--records', '700'] });

  test('says so first, loads what the quota allows, and Resume waits for the reset', async ({ dashboard, mock, page }) => {
    await dashboard.open();
    await dashboard.connect();
    await dashboard.expectTotals();
    await expect(page.locator('.quota')).toContainText('2 / 6 calls left');
    const cost = page.locator('.analyze .cost');
    await expect(cost).toContainText('Loads 7 pages: 7 calls — only 2 calls left this hour: 2 pages now, the rest after the quota resets in');
    await mock.resetStats();
    await page.getByRole('button', { name: 'Analyze all matching' }).click();
    await expect(page.locator('.progress-line')).toContainText('200 of 700');
    await expect(page.locator('.progress-line .stop-reason')).toContainText('API key request limit reached');
    await dashboard.settled();
    const log = (await mock.stats()).log;
    expect(log.map((c) => c.status)).toEqual([200, 200]);
    // Nothing can be sent before the reset: Resume says so by being disabled, not by a click
    // that does nothing.
    await expect(page.locator('.analyze button.primary')).toBeDisabled();
    await expect(dashboard.banner).toContainText('API key request limit reached');
  });
});

test('at 1920 px an open detail leaves Refresh and Auto-refresh in reach', async ({ dashboard, page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await dashboard.open();
  await dashboard.connect();
  await expect(dashboard.rows).toHaveCount(50);
  await dashboard.rows.first().locator('.c-created').click();
  await expect(page.getByRole('dialog')).toBeVisible();
  for (const control of [page.getByRole('button', { name: 'Refresh', exact: true }), page.getByLabel('Auto-refresh')]) {
    const hit = await control.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === el;
    });
    expect(hit).toBe(true);
  }
});

test('a status outside the documented set: after Analyze all the cards count the rows', async ({ dashboard, mock, page }) => {
  const { requests } = await mock.dataset();
  const cancelled = requests.filter((r) => r.status === 'cancelled');
  expect(cancelled.length, 'the data has cancelled requests').toBeGreaterThan(1);
  await change(mock, { set_status: [[cancelled[0].id, 'escalated']] });
  await dashboard.open();
  await dashboard.connect();
  await dashboard.expectTotals();
  await page.getByRole('button', { name: 'Analyze all matching' }).click();
  await expect(page.locator('.overview .scope')).toHaveText(`Based on all ${requests.length} matching requests`);
  const card = page.locator('.status-card[data-status="cancelled"]');
  await expect(card.locator('.card-count')).toHaveText(String(cancelled.length - 1));
  await expect(card).not.toHaveAttribute('title', /minus/);
  await expect(page.locator('.cards-head .cost')).toContainText('counted from the loaded set');
});

test('an invalid URL value shows in its select, and choosing another fixes the URL', async ({ dashboard, page }) => {
  await dashboard.open('?status=bogus&limit=500');
  await expect(dashboard.banner).toContainText('status must be one of');
  const status = dashboard.select('Status');
  await expect(status.locator('option:checked')).toHaveText('(invalid: bogus)');
  await expect(dashboard.select('Page size').locator('option:checked')).toHaveText('(invalid: 500)');
  await status.selectOption('');
  await expect(page).not.toHaveURL(/status=/);
  await dashboard.select('Page size').selectOption('50');
  await expect(page).not.toHaveURL(/limit=/);
  await expect(dashboard.banner).toHaveCount(0);
  await expect(dashboard.rows).toHaveCount(50);
});

test.describe('a slow page', () => {
  test.use({ mockFlags: ['--latency-ms', '2000'] });

  test('after Next the old rows say loading, not failure, and the bar keeps its shape', async ({ dashboard, page }) => {
    await dashboard.open();
    await dashboard.connect();
    await expect(dashboard.rows).toHaveCount(50);
    const refresh = page.getByRole('button', { name: 'Refresh', exact: true });
    const before = await refresh.boundingBox();
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.locator('.updated')).toContainText('loading…');
    await expect(page.locator('.updated')).not.toContainText('not current');
    await expect(page.locator('.updated')).toHaveAttribute('data-stale', 'false');
    const during = await refresh.boundingBox();
    expect(during!.y).toBe(before!.y);
    await expect(dashboard.range).toHaveText(/^51–100 of/, { timeout: 10_000 });
    await expect(page.locator('.updated')).not.toContainText('loading');
  });
});

test('a base URL pasted with /v1 at the end is used without it, and said so', async ({ dashboard, mock, page }) => {
  await dashboard.open();
  await dashboard.connect(KEY, `${mock.url}/v1`);
  await expect(dashboard.rows).toHaveCount(50);
  await expect(dashboard.banner).toHaveCount(0);
  const uris = (await mock.stats()).log.map((c) => c.uri);
  expect(uris.filter((u) => u.startsWith('/v1/v1'))).toEqual([]);
  await dashboard.openConnection();
  await expect(page.locator('.settings-note')).toContainText(`Using ${mock.url}: the dashboard adds /v1 itself.`);
});

test('an id no path can carry is "not found" without an HTTP status, since no call was made', async ({ dashboard, mock, page }) => {
  await dashboard.open();
  await dashboard.connect(KEY, mock.url, true);
  await expect(dashboard.rows).toHaveCount(50);
  await dashboard.open('?request=..');
  await expect(page.locator('.source-badge')).toHaveText('Live API');
  const alert = page.getByRole('dialog').getByRole('alert');
  await expect(alert).toContainText('Request not found');
  await expect(alert).not.toContainText('HTTP');
});

test('calls that never reached an API, and 401s, are not counted in the estimate', async ({ dashboard, page }) => {
  // Nothing listens on the port of a server that has stopped.
  const gone = await MockApi.start([], { serveDist: false });
  const url = gone.url;
  await gone.stop();
  await dashboard.open();
  await dashboard.connect(KEY, url);
  await expect(dashboard.banner).toContainText(/could not reach|reach the API/i);
  await expect(page.locator('.quota')).toContainText('100 / 100 calls left (est.)');
  await dashboard.connect('not-the-key');
  await expect(dashboard.banner).toContainText('HTTP 401');
  await expect(page.locator('.quota')).toContainText('100 / 100 calls left (est.)');
});

test.describe('a cancel answered with a server error', () => {
  const EVERY = 9;
  test.use({ mockFlags: ['--fail-every', String(EVERY)] });

  test('says it may or may not have gone through, and offers Refresh', async ({ dashboard, mock, page }) => {
    await dashboard.open('?status=pending');
    // Connect (1 page + cards) and the detail's calls come first; then the DELETE must be the
    // failing call: the counter is lined up just before it.
    await dashboard.connect();
    await dashboard.expectTotals();
    await dashboard.rows.first().locator('.c-created').click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByText('Platform', { exact: true })).toBeVisible();
    await dashboard.settled();
    await mock.makeNextCallFail(EVERY);
    await dialog.getByRole('button', { name: 'Cancel request' }).click();
    await dialog.getByRole('button', { name: 'Yes, cancel it' }).click();
    await expect(dialog.getByRole('alert')).toContainText('The request may not have been cancelled');
    await expect(dialog.getByRole('alert')).toContainText('Refresh');
    expect((await mock.stats()).log.filter((c) => c.method === 'DELETE').map((c) => c.status)).toEqual([500]);
  });
});

test.describe('cosmetic', () => {
  test('the wrong-key state has no dangling "not current"', async ({ dashboard, page }) => {
    await dashboard.open();
    await dashboard.connect('not-the-key');
    await expect(dashboard.banner).toContainText('HTTP 401');
    await expect(page.locator('.card-error')).toContainText('Totals unavailable');
    await expect(page.locator('.updated')).not.toContainText('not current');
  });

  test.describe('with one call left', () => {
    test.use({ mockFlags: ['--quota', '5'] });

    test('it is "1 call", not "1 calls"', async ({ dashboard, page }) => {
      await dashboard.open();
      await dashboard.connect();
      await dashboard.expectTotals();
      await expect(page.locator('.quota')).toContainText('1 / 5 calls left');
      await expect(page.locator('.export-cost')).toContainText('1 call left this hour');
      await expect(page.locator('body')).not.toContainText(/\b1 calls\b/);
    });
  });

  test('an offset off the page grid counts pages from there', async ({ dashboard, mock }) => {
    const { requests } = await mock.dataset();
    await dashboard.open('?offset=7');
    await dashboard.connect();
    await expect(dashboard.range).toHaveText(`8–57 of ${requests.length}`);
    const after = Math.ceil((requests.length - 57) / 50);
    await expect(dashboard.page.locator('.pager-jump')).toContainText(`of ${2 + after}`);
    await expect(dashboard.page.getByLabel('Page number')).toHaveValue('2');
  });

  test('the per-day chart colours Completed as the other charts do', async ({ dashboard, page }) => {
    await dashboard.open();
    await expect(dashboard.rows).toHaveCount(50);
    const daily = page.locator('#chart-daily');
    await expect(daily.locator('rect.k-chart-2').first()).toBeAttached();
    await expect(daily.locator('rect.k-chart-3')).toHaveCount(0);
  });

  test('at 390 px the histogram labels stay readable and the urgent list keeps its times whole', async ({ dashboard, page }) => {
    await page.setViewportSize({ width: 390, height: 800 });
    await dashboard.open();
    await expect(dashboard.rows).toHaveCount(50);
    const label = page.locator('#chart-histogram svg text').first();
    await label.scrollIntoViewIfNeeded();
    const height = await label.evaluate((el) => el.getBoundingClientRect().height);
    expect(height).toBeGreaterThanOrEqual(8);
    await page.getByRole('button', { name: /Urgent pending and recent completions/ }).click();
    const when = page.locator('.mini-list .when').first();
    await expect(when).toBeVisible();
    const lines = await when.evaluate((el) => el.getClientRects().length);
    expect(lines).toBe(1);
  });

  test('a request older than a day shows its date under its age', async ({ dashboard, mock, page }) => {
    const { requests } = await mock.dataset();
    await dashboard.open('?sort=created_at_asc');
    await dashboard.connect();
    const oldest = requests[requests.length - 1];
    const cell = page.locator(`table.requests tr[data-id="${oldest.id}"] .c-created`);
    await expect(cell.locator('time')).toHaveText(/ago$/);
    await expect(cell.locator('.c-date')).toBeVisible();
    await expect(cell.locator('.c-date')).toHaveText(/^\d{4}-\d{2}-\d{2}$/);
  });
});

test.describe('the first screen after Connect', () => {
  test('the Connection form folds into one line once the key works, and Change opens it', async ({ dashboard, mock, page }) => {
    await dashboard.open();
    await expect(page.getByLabel('API key')).toBeVisible();
    await dashboard.connect('not-the-key');
    await expect(dashboard.banner).toContainText('HTTP 401');
    // No working connection: the form stays open.
    await expect(page.getByLabel('API key')).toBeVisible();
    await dashboard.connect();
    await expect(dashboard.rows).toHaveCount(50);
    const line = page.locator('.settings-line');
    await expect(line).toHaveText(`Live API · ${mock.url.replace('http://', '')} · Change`);
    await expect(page.getByLabel('API key')).toBeHidden();
    const box = await page.locator('section.settings').boundingBox();
    expect(box!.height).toBeLessThan(80);
    await line.getByRole('button', { name: 'Change' }).click();
    await expect(page.getByLabel('API key')).toBeVisible();
  });
});
