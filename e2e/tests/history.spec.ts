// History on this device (issue 21): a copy of the key's requests in the browser's IndexedDB,
// loaded once and then synced with a handful of calls; the views answered from it.
import { test, expect, KEY, Page } from '../support/fixtures';
import type { Dashboard } from '../support/dashboard';
import { MockApi } from '../support/mock';

/** Moves the mock's data on, as reviewers and clients would between two visits. */
async function change(mock: MockApi, body: Record<string, unknown>) {
  const r = await fetch(`${mock.url}/__mock/change`, { method: 'POST', body: JSON.stringify(body) });
  expect(r.status).toBe(200);
  return r.json();
}

const status = (page: Page) => page.locator('.history-status');

/** Connects with a remembered key, keeps the history and loads it (⌈N/100⌉ calls). */
async function keepHistory(dashboard: Dashboard, page: Page, n: number) {
  await dashboard.open();
  await dashboard.connect(KEY, dashboard.mock.url, true);
  await expect(dashboard.rows).toHaveCount(50);
  await dashboard.expectTotals();
  await dashboard.openConnection();
  await page.getByLabel('Keep history on this device').check();
  await expect(status(page)).toContainText(
    `History: nothing on this device yet. The first load costs ${Math.ceil(n / 100)} calls.`,
  );
  await page.getByRole('button', { name: 'Load history' }).click();
  await expect(status(page)).toContainText(`Synced: ${n.toLocaleString('en-US')} new, 0 changed`);
}

/** The cards' four totals as the mock's data has them. */
async function expectCardsOf(page: Page, requests: any[]) {
  for (const s of ['pending', 'completed', 'timeout', 'cancelled']) {
    const n = requests.filter((r) => r.status === s).length;
    await expect(page.locator(`.status-card[data-status="${s}"] .card-count`)).toHaveText(n.toLocaleString('en-US'));
  }
}

test('the first load costs one call per 100 requests; a returning visit syncs with 4 calls and every view comes from the copy', async ({ dashboard, mock, page }) => {
  const { requests } = await mock.dataset();
  await keepHistory(dashboard, page, requests.length);
  await dashboard.settled();
  // The pages oldest first; the totals it checks are the cards' calls, already made.
  const load = (await mock.stats()).log.filter((c) => c.uri.includes('sort=created_at_asc') && !c.uri.includes('status='));
  expect(load.map((c) => c.uri)).toEqual([0, 100, 200].map((o) =>
    `/v1/api/requests?sort=created_at_asc&limit=100${o ? `&offset=${o}` : ''}`));
  await expect(status(page)).toContainText(`History: ${requests.length} requests on this device, synced just now. Synced: ${requests.length} new, 0 changed · 3 calls`);
  await expect(page.locator('.source-badge')).toHaveText('History on this device · synced just now');

  // A returning visit: nothing changed.
  await mock.resetStats();
  await page.reload();
  await expect(status(page)).toContainText('Synced: 0 new, 0 changed · 4 calls');
  await dashboard.expectRowIds(requests.slice(0, 50).map((r) => r.id));
  await expectCardsOf(page, requests);
  await dashboard.settled();
  const calls = (await mock.stats()).log.map((c) => c.uri);
  expect(calls.length, calls.join('\n')).toBeLessThanOrEqual(4);

  // Filters, paging, sorting, the Overview and an export: all from the copy, no call.
  await mock.resetStats();
  await dashboard.select('Status').selectOption('completed');
  const completed = requests.filter((r) => r.status === 'completed');
  await expect(dashboard.range).toHaveText(`1–50 of ${completed.length}`);
  await dashboard.select('Sort').selectOption('created_at_asc');
  await dashboard.expectRowIds([...completed].reverse().slice(0, 50).map((r) => r.id));
  await page.getByRole('button', { name: 'Analyze all matching' }).click();
  await expect(page.locator('.overview .scope')).toHaveText(`Based on all ${completed.length} matching requests`);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/status-completed\.csv$/);
  await dashboard.settled();
  expect(await mock.calls()).toBe(0);
});

test.describe('between two visits', () => {
  test.use({ mockFlags: ['--records', '1000'] });

  test('50 new and 20 answered: the sync costs at most 4 + 1 + the cheaper way, and the copy is the API', async ({ dashboard, mock, page }) => {
    const { requests } = await mock.dataset();
    expect(requests.filter((r) => r.status === 'pending').length, 'pending requests to answer').toBeGreaterThanOrEqual(20);
    await keepHistory(dashboard, page, requests.length);
    const changed = await change(mock, { answer: 20, create: 50 });
    expect(changed.answered).toHaveLength(20);
    const now = (await mock.dataset()).requests;
    const pendingNow = now.filter((r) => r.status === 'pending').length;
    await mock.resetStats();
    await page.reload();
    await expect(status(page)).toContainText('Synced: 50 new, 20 changed');
    await dashboard.settled();
    const calls = await mock.calls();
    // The pending list and one call per request that left it is one of the two ways.
    expect(calls).toBeLessThanOrEqual(4 + 1 + Math.ceil(pendingNow / 100) + 20);
    await dashboard.expectRowIds(now.slice(0, 50).map((r) => r.id));
    await expectCardsOf(page, now);
    await expect(page.locator('.source-badge')).toHaveText(/^History on this device/);
  });
});

test('a copy out of step is said, the views go live, and Repair (cost shown) brings it back', async ({ dashboard, mock, page }) => {
  const { requests } = await mock.dataset();
  await keepHistory(dashboard, page, requests.length);
  // Five stored requests lost on this device.
  const lost = requests.slice(100, 105).map((r) => r.id);
  await page.evaluate(async (ids) => {
    const name = (await indexedDB.databases()).map((d) => d.name!).find((n) => n.startsWith('hitl-history-'))!;
    const db: IDBDatabase = await new Promise((ok, no) => {
      const r = indexedDB.open(name);
      r.onsuccess = () => ok(r.result);
      r.onerror = () => no(r.error);
    });
    const tx = db.transaction('requests', 'readwrite');
    for (const id of ids) tx.objectStore('requests').delete(id);
    await new Promise((ok) => (tx.oncomplete = ok));
    db.close();
  }, lost);
  await page.reload();
  await expect(status(page)).toContainText('History: out of step with the API');
  await expect(status(page)).toContainText('the views use the live API');
  await expect(page.locator('.source-badge')).toHaveText('Live API');
  const repair = page.getByRole('button', { name: /^Repair \(\d+ calls?\)$/ });
  await expect(repair).toBeVisible();
  const cost = Number((await repair.textContent())!.match(/\((\d+) call/)![1]);
  await dashboard.settled();
  await mock.resetStats();
  await repair.click();
  await expect(status(page)).toContainText(`History: ${requests.length} requests on this device, synced just now`);
  await expect(page.locator('.source-badge')).toHaveText(/^History on this device/);
  await dashboard.settled();
  // The repair's re-reads as said, and the totals of its check.
  expect(await mock.calls()).toBeLessThanOrEqual(cost + 3);
});

test.describe('two tabs on one key', () => {
  // Slow answers: the first tab is still syncing when the second one opens.
  test.use({ mockFlags: ['--latency-ms', '400'] });

  test('share one copy and never sync at the same time', async ({ dashboard, mock, page, context }) => {
    const { requests } = await mock.dataset();
    await keepHistory(dashboard, page, requests.length);
    await change(mock, { create: 30 });
    await mock.resetStats();
    await page.reload();
    await expect(status(page)).toContainText('History: syncing');
    const other = await context.newPage();
    await other.goto(mock.url);
    await expect(status(other)).toContainText('Another tab is bringing it up to date');
    await expect(status(page)).toContainText('Synced: 30 new, 0 changed');
    // The second tab reads what the first wrote, at no call.
    await expect(status(other)).toContainText(`History: ${requests.length + 30} requests on this device`);
    const calls = (await mock.stats()).log.filter((c) => c.uri.includes('sort=created_at_asc') && !c.uri.includes('status='));
    expect(calls).toHaveLength(1);
    await other.close();
  });
});

test('Forget this device\'s history deletes the copy; the dashboard goes on live', async ({ dashboard, mock, page }) => {
  const { requests } = await mock.dataset();
  await keepHistory(dashboard, page, requests.length);
  const names = async () => (await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name)));
  expect((await names()).some((n) => n!.startsWith('hitl-history-'))).toBe(true);
  expect((await names()).some((n) => n!.includes(KEY))).toBe(false);
  await dashboard.openConnection();
  await page.getByRole('button', { name: "Forget this device's history" }).click();
  await expect(page.locator('.source-badge')).toHaveText('Live API');
  await expect(page.getByLabel('Keep history on this device')).not.toBeChecked();
  await expect.poll(async () => (await names()).some((n) => n!.startsWith('hitl-history-'))).toBe(false);
  await page.reload();
  await expect(page.locator('.source-badge')).toHaveText('Live API');
  await expect(dashboard.rows).toHaveCount(50);
  void mock;
});

test.describe('the first load with fewer calls left than it needs', () => {
  test.use({ mockFlags: ['--quota', '6', '--quota-window-secs', '25', '--records', '700'] });

  test('loads what the quota allows, keeps it, and goes on by itself after the reset without reading a page twice', async ({ dashboard, mock, page }) => {
    await dashboard.open();
    await dashboard.connect();
    await dashboard.expectTotals();
    await expect(page.locator('.quota')).toContainText('2 / 6 calls left');
    await dashboard.openConnection();
    await page.getByLabel('Keep history on this device').check();
    await expect(status(page)).toContainText('The first load costs 7 calls — only 2 calls left this hour: 2 pages now');
    await dashboard.settled();
    await mock.resetStats();
    await page.getByRole('button', { name: 'Load history' }).click();
    await expect(status(page)).toContainText('History: 200 requests on this device, not synced yet. The last sync stopped: API key request limit reached');
    await dashboard.settled();
    expect((await mock.stats()).log.filter((c) => c.status === 429)).toEqual([]);
    const resume = page.getByRole('button', { name: 'Resume' });
    await expect(resume).toBeDisabled();
    // After the reset it goes on by itself (the load was asked for, its cost said), from
    // where it stopped.
    await expect(status(page)).toContainText('History: 700 requests on this device, synced just now', { timeout: 45_000 });
    const pages = (await mock.stats()).log.filter((c) => c.uri.includes('sort=created_at_asc') && !c.uri.includes('status=')).map((c) => c.uri);
    expect(new Set(pages).size).toBe(pages.length);
    expect(pages).toHaveLength(7);
  });
});

test.describe('a page that fails in the middle of the first load', () => {
  test.use({ mockFlags: ['--records', '500', '--fail-every', '7', '--fail-kind', 'malformed'] });

  test('keeps what arrived; Resume asks only for what is missing', async ({ dashboard, mock, page }) => {
    await dashboard.open();
    await dashboard.connect();
    await dashboard.expectTotals();
    await dashboard.openConnection();
  await page.getByLabel('Keep history on this device').check();
    await mock.makeNextCallFail(7);
    // The next call fails: the first page of the load.
    await page.getByRole('button', { name: 'Load history' }).click();
    await expect(status(page)).toContainText('The last sync stopped');
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect(status(page)).toContainText('History: 500 requests on this device, synced just now');
    await expect(page.locator('.source-badge')).toHaveText(/^History on this device/);
  });
});

test('without IndexedDB (private browsing) the history says why and the dashboard works live', async ({ dashboard, page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true });
  });
  await dashboard.open();
  await dashboard.connect();
  await expect(dashboard.rows).toHaveCount(50);
  await dashboard.openConnection();
  await page.getByLabel('Keep history on this device').check();
  await expect(status(page)).toContainText('History unavailable:');
  await expect(status(page)).toContainText('The dashboard works live.');
  await expect(page.locator('.source-badge')).toHaveText('Live API');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(dashboard.range).toHaveText(/^51–100 of/);
});

test.describe('another key on the same API', () => {
  test.use({ mockFlags: ['--key', 'second-key-8b2f'] });

  test('keeps a copy of its own: nothing of one key is shown under another', async ({ dashboard, mock, page }) => {
    const { requests } = await mock.dataset();
    await keepHistory(dashboard, page, requests.length);
    await dashboard.connect('second-key-8b2f');
    await expect(dashboard.rows).toHaveCount(50);
    await expect(page.locator('.source-badge')).toHaveText('Live API');
    await expect(page.getByLabel('Keep history on this device')).not.toBeChecked();
    await expect(status(page)).toBeHidden();
    // Back to the first key: its copy is there.
    await dashboard.connect();
    await expect(page.locator('.source-badge')).toHaveText(/^History on this device/);
  });
});

test.describe('a slow first load', () => {
  test.use({ mockFlags: ['--records', '1000', '--latency-ms', '300'] });

  test('Cancel keeps what arrived; after a reload Resume goes on from there without reading a page twice', async ({ dashboard, mock, page }) => {
    await dashboard.open();
    await dashboard.connect(KEY, mock.url, true);
    await dashboard.expectTotals();
    await dashboard.openConnection();
    await page.getByLabel('Keep history on this device').check();
    await mock.resetStats();
    await page.getByRole('button', { name: 'Load history' }).click();
    await expect(status(page)).toContainText(/syncing… [2-5]00 new/);
    await page.locator('.history-actions').getByRole('button', { name: 'Cancel' }).click();
    await expect(status(page)).toContainText(
      /History: [2-7]00 requests on this device, not synced yet\. The last sync stopped: Cancelled/,
    );
    // A reload does not go on by itself (that costs calls): it offers Resume.
    await page.reload();
    await expect(status(page)).toContainText('The first load has not finished');
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect(status(page)).toContainText('History: 1,000 requests on this device, synced just now');
    await dashboard.settled();
    const pages = (await mock.stats()).log
      .filter((c) => c.uri.includes('sort=created_at_asc') && !c.uri.includes('status='))
      .map((c) => c.uri);
    expect(new Set(pages).size, pages.join('\n')).toBe(pages.length);
    expect(pages).toHaveLength(10);
  });
});

test.describe('a sync stopped after it wrote part of the changes', () => {
  test.use({ mockFlags: ['--fail-every', '50', '--fail-kind', 'malformed'] });

  /** Keeps the history, creates 150 requests and reloads: the sync reads 100, then fails. */
  async function stopASyncMidway(dashboard: Dashboard, mock: MockApi, page: Page) {
    const n = (await mock.dataset()).requests.length;
    await keepHistory(dashboard, page, n);
    await dashboard.settled();
    await change(mock, { create: 150 });
    // The returning visit's first call reads 100 of the new requests; its second fails.
    let { calls } = await mock.stats();
    while ((calls + 2) % 50 !== 0) {
      await fetch(`${mock.url}/v1/api/requests?limit=1`, { headers: { Authorization: `Bearer ${KEY}` } });
      calls = (await mock.stats()).calls;
    }
    await page.reload();
    await expect(status(page)).toContainText(
      `History: ${(n + 100).toLocaleString('en-US')} requests on this device, synced just now. The last sync stopped`,
    );
    await expect(page.locator('.source-badge')).toHaveText('Live API');
    // The views are the API's: its first page, with the 150 new requests.
    await dashboard.expectRowIds((await mock.dataset()).requests.slice(0, 50).map((r) => r.id));
    await expect(page.locator('.pager')).toContainText(`of ${(n + 150).toLocaleString('en-US')}`);
    return n;
  }

  test('does not serve the mixed copy: the views go live until a sync ends in step', async ({ dashboard, mock, page }) => {
    const n = await stopASyncMidway(dashboard, mock, page);
    await dashboard.openConnection();
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect(status(page)).toContainText(`History: ${(n + 150).toLocaleString('en-US')} requests on this device, synced just now. Synced: 50 new`);
    await expect(page.locator('.source-badge')).toHaveText('History on this device · synced just now');
  });

  test('nor on the next visit, when that visit cannot sync', async ({ dashboard, mock, page }) => {
    await stopASyncMidway(dashboard, mock, page);
    // Spend the rest of the hour's calls: the next visit's sync is held back by the quota.
    for (let i = 0; i < 200; i++) {
      const r = await fetch(`${mock.url}/v1/api/requests?limit=1`, { headers: { Authorization: `Bearer ${KEY}` } });
      if (r.status === 429) break;
    }
    await page.reload();
    await expect(status(page)).toContainText('The last sync stopped: API key request limit');
    await expect(page.locator('.source-badge')).toHaveText('Live API');
  });
});

test('when one tab forgets the history, the other lets the copy go so that it is deleted', async ({ dashboard, mock, page, context }) => {
  const { requests } = await mock.dataset();
  await keepHistory(dashboard, page, requests.length);
  const other = await context.newPage();
  await other.goto(mock.url);
  await expect(other.locator('.source-badge')).toHaveText(/^History on this device/);
  await dashboard.openConnection();
  await page.getByRole('button', { name: "Forget this device's history" }).click();
  await expect(other.locator('.source-badge')).toHaveText('Live API');
  await expect
    .poll(async () => (await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name)))
      .some((name) => name!.startsWith('hitl-history-')))
    .toBe(false);
  await other.close();
});

test.describe('a sync held back by the quota', () => {
  test.use({ mockFlags: ['--records', '300', '--quota', '7', '--quota-window-secs', '20'] });

  test('goes on by itself when the quota is back', async ({ dashboard, mock, page }) => {
    await keepHistory(dashboard, page, 300);
    // The first page and the cards, then three pages of history: nothing left.
    await expect(page.locator('.quota')).toContainText('0 / 7 calls left');
    await change(mock, { create: 20 });
    await page.reload();
    await expect(status(page)).toContainText('The last sync stopped: API key request limit');
    // The window ends 20 s after the first call.
    await expect(status(page)).toContainText(
      'History: 320 requests on this device, synced just now. Synced: 20 new, 0 changed · 4 calls',
      { timeout: 30_000 },
    );
  });
});

test('a key the API refused is not offered a history', async ({ dashboard, page }) => {
  await dashboard.open();
  await dashboard.connect('not-the-key');
  await expect(dashboard.banner).toContainText('HTTP 401');
  await expect(page.getByLabel('Keep history on this device')).toBeHidden();
});
