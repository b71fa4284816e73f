import { test, expect, KEY } from '../support/fixtures';

test('opens on demo data without calling any server', async ({ dashboard, mock, page }) => {
  await dashboard.open();
  await expect(page.locator('.source-badge')).toHaveText('Demo data');
  await expect(dashboard.rows).toHaveCount(50);
  await expect(dashboard.range).toHaveText(/^1–50 of \d+/);
  expect(await mock.calls()).toBe(0);
});

test('connecting with the right key shows the first page of the API', async ({ dashboard, mock, page }) => {
  const { requests } = await mock.dataset();
  await dashboard.open();
  await dashboard.connect();
  await expect(page.locator('.source-badge')).toHaveText('Live API');
  await dashboard.expectRowIds(requests.slice(0, 50).map((r) => r.id));
  await expect(dashboard.range).toHaveText(`1–50 of ${requests.length}`);
  // Status, priority and response as the API sent them.
  const first = requests[0];
  const row = dashboard.rows.first();
  await expect(row.locator('.c-status')).toHaveText(new RegExp(first.status, 'i'));
  await expect(row.locator('.c-priority')).toHaveText(new RegExp(first.priority, 'i'));
  await expect(page.getByLabel('API key')).toHaveValue('');
  const stats = await mock.stats();
  expect(stats.log.every((c) => c.auth)).toBe(true);
  expect(stats.log.some((c) => c.uri === '/v1/api/requests' && c.status === 200)).toBe(true);
});

test("a wrong key shows the API's 401 message in the banner", async ({ dashboard, mock, page }) => {
  await dashboard.open();
  await mock.resetStats();
  await dashboard.connect('not-the-key');
  await expect(dashboard.banner).toContainText('Invalid or missing API key');
  await expect(dashboard.banner).toContainText('HTTP 401');
  await expect(dashboard.banner).toContainText('Check the API key under Connection');
  // The status cards take the table's refusal as theirs, without asking: they say so, and
  // stop showing "…". One call in all.
  await expect(page.locator('.card-error')).toContainText('Totals unavailable');
  await expect(page.locator('.card-count')).toHaveText(['—', '—', '—', '—']);
  await dashboard.settled();
  expect(await mock.calls()).toBe(1);
  await expect(page.locator('body')).not.toContainText('not-the-key');
});

test('the key stays out of URLs and storage unless remembered', async ({ dashboard, page, requests }) => {
  await dashboard.open();
  await dashboard.connect();
  await expect(dashboard.rows).toHaveCount(50);
  expect(page.url()).not.toContain(KEY);
  const stored = await page.evaluate(() => JSON.stringify(Object.entries(localStorage)));
  expect(stored).not.toContain(KEY);
  // The API calls carried it as a bearer header instead.
  const api = requests.filter((r) => r.url().includes('/v1/api/requests'));
  expect(api.length).toBeGreaterThan(0);
  expect(await api[0].headerValue('authorization')).toBe(`Bearer ${KEY}`);

  await dashboard.connect(KEY, dashboard.mock.url, true);
  await expect.poll(() => page.evaluate(() => localStorage.getItem('hitl.api_key'))).toBe(KEY);
  await dashboard.mock.resetStats();
  await page.reload();
  await expect(page.locator('.source-badge')).toHaveText('Live API');
  await expect(dashboard.rows).toHaveCount(50);
  // Starting live, the first page is requested before the first render and the table's own
  // call joins it: one call, not two.
  const pageCalls = (await dashboard.mock.stats()).log.filter((c) => c.uri === '/v1/api/requests');
  expect(pageCalls.length).toBe(1);
  await dashboard.openConnection();
  await page.getByRole('button', { name: 'Forget key' }).click();
  await expect(page.locator('.source-badge')).toHaveText('Demo data');
  expect(await page.evaluate(() => localStorage.getItem('hitl.api_key'))).toBeNull();
});

test('a key with an invisible character is refused with a reason, before any call', async ({ dashboard, mock, page }) => {
  const pasted = `${KEY}\u200b`; // a zero-width space picked up when copying
  await dashboard.open();
  await page.getByLabel('API key').fill(pasted);
  await page.getByLabel('API base URL').fill(mock.url);
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.locator('.field-error')).toContainText('invisible or a non-ASCII character');
  await expect(page.locator('.source-badge')).toHaveText('Demo data');
  await expect(dashboard.rows).toHaveCount(50);
  expect(await mock.calls()).toBe(0);
  // The same key remembered by an older version: the dashboard starts (on demo data) instead
  // of dying on the browser's exception, and forgets it.
  await page.evaluate((k) => localStorage.setItem('hitl.api_key', k), pasted);
  await page.reload();
  await expect(page.locator('.source-badge')).toHaveText('Demo data');
  await expect(dashboard.rows).toHaveCount(50);
  expect(await page.evaluate(() => localStorage.getItem('hitl.api_key'))).toBeNull();
  expect(await mock.calls()).toBe(0);
  // Typed correctly, it connects.
  await dashboard.connect();
  await expect(dashboard.rows).toHaveCount(50);
});
