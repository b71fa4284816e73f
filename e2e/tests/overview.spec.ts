// Issue 4: Overview — status cards (cheap totals), the seed dashboard's panels, analytics over
// the loaded set and over everything matching, SVG charts. Every expected number is computed
// here from the mock's own data set with the vendor's definitions.
import AxeBuilder from '@axe-core/playwright';
import { test, expect, Page } from '../support/fixtures';
import type { MockApi } from '../support/mock';

const STATUSES = ['pending', 'completed', 'timeout', 'cancelled'];

/** The vendor's format_duration (seed), with the singular for exactly one. */
function formatDuration(seconds: number): string {
  const s = Math.max(0, seconds);
  const plural = (n: number, unit: string) => (n === 1 ? `1 ${unit}` : `${n} ${unit}s`);
  if (s < 60) return plural(Math.trunc(s), 'second');
  if (s < 3600) return plural(Math.trunc(s / 60), 'minute');
  const whole = Math.trunc(s);
  return `${Math.trunc(whole / 3600)}h ${Math.trunc((whole % 3600) / 60)}m`;
}

const thousands = (n: number) => n.toLocaleString('en-US');

/** The seed's analyze_response_times over `requests`. */
function seedResponseTimes(requests: any[]) {
  const times = requests
    .filter((r) => r.status === 'completed' && r.response_time_seconds)
    .map((r) => r.response_time_seconds as number);
  const sorted = [...times].sort((a, b) => a - b);
  return {
    count: times.length,
    median: sorted[Math.floor(sorted.length / 2)],
    min: sorted[0],
    max: sorted[sorted.length - 1],
    ranges: {
      'Under 5 min': times.filter((t) => t < 300).length,
      '5–30 min': times.filter((t) => t >= 300 && t < 1800).length,
      '30 min–2 h': times.filter((t) => t >= 1800 && t < 7200).length,
      'Over 2 h': times.filter((t) => t >= 7200).length,
    } as Record<string, number>,
  };
}

const card = (page: Page, status: string) => page.locator(`.status-card[data-status="${status}"]`);

/** Waits until the four cards show the totals of `requests` (already filtered). */
async function expectCards(page: Page, requests: any[]) {
  for (const s of STATUSES) {
    const n = requests.filter((r) => r.status === s).length;
    await expect(card(page, s).locator('.card-count'), `${s} card`).toHaveText(thousands(n));
  }
}

/** The all-matching loader's page calls (limit=100). */
const pageOf100 = (url: URL) => url.pathname === '/v1/api/requests' && url.searchParams.get('limit') === '100';

/** List calls in the mock's log (the loops call is not a list call); the HTTP client may end a
 *  query string with a bare `&`, which changes nothing. */
async function listCalls(mock: MockApi): Promise<string[]> {
  return (await mock.stats()).log
    .map((c) => c.uri.replace(/&$/, ''))
    .filter((u) => /^\/v1\/api\/requests(\?|$)/.test(u));
}

/** The seed dashboard's panels computed from the data set: urgent pending (high and critical,
 *  10 oldest of each, oldest first) and the 10 most recent completions. */
function seedPanels(requests: any[]) {
  const byAge = (a: any, b: any) => Date.parse(a.created_at) - Date.parse(b.created_at);
  const urgent = ['high', 'critical']
    .flatMap((p) => requests.filter((r) => r.status === 'pending' && r.priority === p).sort(byAge).slice(0, 10))
    .sort(byAge);
  return { urgent, recent: requests.filter((r) => r.status === 'completed').slice(0, 10) };
}

test('status cards equal the mock totals and say what each status means', async ({ dashboard, mock, page }) => {
  const { requests } = await mock.dataset();
  await dashboard.open();
  await dashboard.connect();
  await expectCards(page, requests);
  await expect(card(page, 'timeout')).toContainText('default response used');
  const pending = requests.filter((r) => r.status === 'pending').length;
  const share = Math.round((pending / requests.length) * 1000) / 10;
  await expect(card(page, 'pending').locator('.card-share')).toHaveText(`${share}% of all`);
  await expect(page.locator('.cards-head .cost')).toHaveText("Totals: 3 calls (limit=1; Pending's lists the 100 oldest for the SLA watch), cached for a minute");
});

test('when the page holds every matching request, the cards count its rows: no call of their own', async ({ dashboard, mock, page }) => {
  const { requests } = await mock.dataset();
  // A loop with a first page of 50 that holds all its requests.
  const byLoop = new Map<string, any[]>();
  for (const r of requests) byLoop.set(r.loop_id, [...(byLoop.get(r.loop_id) ?? []), r]);
  const [loop, mine] = [...byLoop].find(([, rs]) => rs.length > 0 && rs.length <= 50)!;
  expect(loop, 'a loop with at most 50 requests').toBeTruthy();
  await dashboard.open(`?loop_id=${loop}`);
  await dashboard.connect();
  await expect(dashboard.range).toHaveText(`1–${mine.length} of ${mine.length}`);
  await expectCards(page, mine);
  await expect(page.locator('.cards-head .cost')).toHaveText(
    'Totals: 0 calls (counted from the page, which holds every matching request)',
  );
  await dashboard.settled();
  expect(await listCalls(mock)).toEqual([`/v1/api/requests?loop_id=${loop}`]);
  // No request at all: every card is 0, still without a call.
  await mock.resetStats();
  await page.getByLabel('Loop ID').fill('nope');
  await page.getByLabel('Loop ID').press('Enter');
  await expect(dashboard.range).toHaveText('0 of 0');
  await expectCards(page, []);
  await dashboard.settled();
  expect(await listCalls(mock)).toEqual(['/v1/api/requests?loop_id=nope']);
});

test('the first load (table + cards) costs at most 4 calls; paging costs no card call', async ({ dashboard, mock, page }) => {
  const { requests } = await mock.dataset();
  await dashboard.open();
  await dashboard.connect();
  await expect(dashboard.rows).toHaveCount(50);
  await expectCards(page, requests);
  await dashboard.settled();
  const calls = await listCalls(mock);
  expect(calls.length, calls.join('\n')).toBeLessThanOrEqual(4);
  expect(calls.filter((u) => u.includes('limit=1')).sort()).toEqual([
    '/v1/api/requests?status=completed&limit=1',
    // The Pending card's call also lists the 100 oldest pending requests, for the SLA watch.
    '/v1/api/requests?status=pending&sort=created_at_asc&limit=100',
    '/v1/api/requests?status=timeout&limit=1',
  ]);

  await mock.resetStats();
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await expect(dashboard.range).toHaveText(`51–100 of ${requests.length}`);
  await dashboard.select('Sort').selectOption('created_at_asc');
  await expect(page).toHaveURL(/sort=created_at_asc/);
  await expect(dashboard.range).toHaveText(`1–50 of ${requests.length}`);
  await dashboard.settled();
  const after = await listCalls(mock);
  expect(after.filter((u) => u.includes('limit=1')), after.join('\n')).toEqual([]);
  await expectCards(page, requests);
});

test.describe('a cold start with a remembered key', () => {
  // Each call takes 300 ms, longer than the app takes to mount: the cards' calls could start
  // before the table's answer, and then their answers and rendering would delay the rows.
  test.use({ mockFlags: ['--latency-ms', '300'] });

  test('the table comes first: the status cards ask only once its page has arrived', async ({ dashboard, mock, page }) => {
    const { requests } = await mock.dataset();
    await dashboard.remembered();
    await dashboard.open();
    await expect(dashboard.rows).toHaveCount(50);
    await expectCards(page, requests);
    const calls = await page.evaluate(() => (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
      .filter((e) => e.name.includes('/v1/api/requests'))
      .map((e) => ({ url: new URL(e.name).search, start: e.startTime, end: e.responseEnd })));
    // The cards' calls: limit=1, and the Pending card's status=pending list (for the SLA watch).
    const isCard = (u: string) => /limit=1(&|$)/.test(u) || u.includes('status=pending&sort=created_at_asc&limit=100');
    const table = calls.filter((c) => !isCard(c.url));
    const cards = calls.filter((c) => isCard(c.url));
    expect(table.length, JSON.stringify(calls)).toBe(1);
    expect(cards.length, JSON.stringify(calls)).toBe(3);
    for (const c of cards) expect(c.start, JSON.stringify(calls)).toBeGreaterThanOrEqual(table[0].end);
    expect((await listCalls(mock)).length).toBe(4);
  });
});

/** Records, from before the app starts, the moment the main area is first displayed and what
 *  the table held then (its data rows, and whether it said it was loading). */
async function watchReveal(page: Page) {
  await page.addInitScript(() => {
    const w = window as any;
    w.__reveal = null;
    const seek = () => {
      const main = document.querySelector('main');
      if (w.__reveal || !main || !main.checkVisibility()) return;
      w.__reveal = {
        at: performance.now(),
        rows: document.querySelectorAll('table.requests tbody tr[data-id]').length,
        busy: document.querySelector('section.results')?.getAttribute('aria-busy') ?? null,
      };
    };
    new MutationObserver(seek).observe(document, { subtree: true, childList: true, attributes: true });
  });
}

test.describe('the first paint of a live start', () => {
  test.use({ mockFlags: ['--latency-ms', '300'] });

  test('the main area appears with its rows, not as an empty skeleton before them', async ({ dashboard, page }) => {
    await watchReveal(page);
    await dashboard.remembered();
    await dashboard.open();
    // The header is there at once, the main area is not (its answer takes 300 ms).
    await expect(page.locator('.source-badge')).toHaveText('Live API');
    await expect(dashboard.rows).toHaveCount(50);
    const reveal = await page.evaluate(() => (window as any).__reveal);
    expect(reveal, 'the main area was never displayed').not.toBeNull();
    expect(reveal.rows, JSON.stringify(reveal)).toBe(50);
    expect(reveal.busy, JSON.stringify(reveal)).toBe('false');
  });
});

test.describe('a live start with a slow API', () => {
  test.use({ mockFlags: ['--latency-ms', '2500'] });

  test('the main area shows its loading state while the first page is slow to come', async ({ dashboard, page }) => {
    await watchReveal(page);
    await dashboard.remembered();
    await dashboard.open();
    await expect(page.locator('section.results')).toHaveAttribute('aria-busy', 'true');
    await expect(page.getByLabel('API key')).toBeVisible();
    const reveal = await page.evaluate(() => (window as any).__reveal);
    expect(reveal, 'the main area was not displayed while loading').not.toBeNull();
    expect(reveal.rows, JSON.stringify(reveal)).toBe(0);
    expect(reveal.busy, JSON.stringify(reveal)).toBe('true');
    await expect(dashboard.rows).toHaveCount(50, { timeout: 15_000 });
  });
});

test('a first load filtered by status also costs at most 4 calls', async ({ dashboard, mock, page }) => {
  const { requests } = await mock.dataset();
  await dashboard.open('?status=completed');
  await dashboard.connect();
  await expectCards(page, requests);
  await expect(card(page, 'completed')).toHaveAttribute('aria-pressed', 'true');
  await dashboard.settled();
  const calls = await listCalls(mock);
  expect(calls.length, calls.join('\n')).toBeLessThanOrEqual(4);
  expect(calls.filter((u) => u.includes('status=completed&limit=1'))).toEqual([]);
});

test('a cursor page (created_before) still gets the full totals, and the analytics say what they cover', async ({ dashboard, mock, page }) => {
  const { requests } = await mock.dataset();
  const cursor = requests[120].created_at;
  const older = requests.filter((r) => Date.parse(r.created_at) < Date.parse(cursor));
  await dashboard.open(`?created_before=${encodeURIComponent(cursor)}`);
  await dashboard.connect();
  await expect(dashboard.range).toHaveText(`1–50 of ${older.length}`);
  await expectCards(page, requests);
  await expect(page.locator('.overview .scope')).toHaveText('Based on the 50 requests on screen (cursor paging)');
  await expect(page.getByRole('button', { name: 'Analyze all matching' })).toBeDisabled();
});

test('with a priority filter the cards count that priority only', async ({ dashboard, mock, page }) => {
  const { requests } = await mock.dataset();
  await dashboard.open();
  await dashboard.connect();
  await expectCards(page, requests);
  await dashboard.select('Priority').selectOption('high');
  const high = requests.filter((r) => r.priority === 'high');
  await expectCards(page, high);
  await expect(page.locator('.cards-head')).toContainText('Requests with priority High');
});

test('clicking a card filters the table by its status; clicking it again clears the filter', async ({ dashboard, mock, page }) => {
  const { requests } = await mock.dataset();
  await dashboard.open();
  await dashboard.connect();
  await expectCards(page, requests);
  const timeouts = requests.filter((r) => r.status === 'timeout');
  await card(page, 'timeout').click();
  await expect(page).toHaveURL(/[?&]status=timeout(&|$)/);
  await expect(card(page, 'timeout')).toHaveAttribute('aria-pressed', 'true');
  await expect(card(page, 'pending')).toHaveAttribute('aria-pressed', 'false');
  await expect(dashboard.range).toHaveText(new RegExp(` of ${timeouts.length}$`));
  const statuses = await dashboard.rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-status')));
  expect(statuses.length).toBe(Math.min(50, timeouts.length));
  expect(new Set(statuses)).toEqual(new Set(['timeout']));
  await expect(dashboard.select('Status')).toHaveValue('timeout');
  // The cards keep their numbers: picking a status costs no card call.
  await expectCards(page, requests);

  await card(page, 'timeout').click();
  await expect(page).not.toHaveURL(/status=/);
  await expect(dashboard.range).toHaveText(`1–50 of ${requests.length}`);
});

test('the panels load only when opened, with the seed queries (3 calls)', async ({ dashboard, mock, page }) => {
  const { requests } = await mock.dataset();
  await dashboard.open();
  await dashboard.connect();
  await expectCards(page, requests);
  await mock.resetStats();
  const toggle = page.getByRole('button', { name: /Urgent pending and recent completions/ });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(toggle).toContainText('3 calls');
  await toggle.click();
  const urgent = page.locator('.mini-list').filter({ hasText: 'Urgent pending' });
  const recent = page.locator('.mini-list').filter({ hasText: 'Recent completions' });
  const expectedUrgent = seedPanels(requests).urgent;
  await expect(urgent.locator('li')).toHaveCount(expectedUrgent.length);
  const completed = seedPanels(requests).recent;
  await expect(recent.locator('li')).toHaveCount(completed.length);
  await expect(recent.locator('li').first()).toContainText(completed[0].request_text.slice(0, 30));
  expect((await listCalls(mock)).sort()).toEqual([
    '/v1/api/requests?status=completed&limit=10',
    '/v1/api/requests?status=pending&priority=critical&sort=created_at_asc&limit=10',
    '/v1/api/requests?status=pending&priority=high&sort=created_at_asc&limit=10',
  ]);
  // Each entry's link opens that request's detail; closing it leaves the panels as they were.
  const last = expectedUrgent[expectedUrgent.length - 1];
  await urgent.locator('li button.link').last().click();
  await expect(page).toHaveURL(new RegExp(`[?&]request=${last.id}`));
  await expect(page.getByRole('dialog')).toContainText(last.id);
  await expect(urgent.locator('li')).toHaveCount(expectedUrgent.length);
});

test('analytics say what they are based on: the page on screen', async ({ dashboard, mock, page }) => {
  const { requests } = await mock.dataset();
  await dashboard.open();
  await dashboard.connect();
  await expect(page.locator('.overview .scope')).toHaveText(`Based on 50 of ${thousands(requests.length)} matching requests (the page on screen)`);
  const seed = seedResponseTimes(requests.slice(0, 50));
  await expect(page.locator('[data-stat="count"] dd')).toHaveText(thousands(seed.count));
  await expect(page.locator('[data-stat="median"] dd')).toHaveText(formatDuration(seed.median));
});

test('with every request loaded the panels are answered from it, at no cost', async ({ dashboard, mock, page }) => {
  const { requests } = await mock.dataset();
  await dashboard.open();
  await dashboard.connect();
  await expect(dashboard.rows).toHaveCount(50);
  await page.getByRole('button', { name: 'Analyze all matching' }).click();
  await expect(page.locator('.overview .scope')).toHaveText(`Based on all ${requests.length} matching requests`);
  await mock.resetStats();
  const toggle = page.getByRole('button', { name: /Urgent pending and recent completions/ });
  await expect(toggle).toContainText('0 calls (from the loaded set)');
  await toggle.click();
  const urgent = page.locator('.mini-list').filter({ hasText: 'Urgent pending' });
  const recent = page.locator('.mini-list').filter({ hasText: 'Recent completions' });
  const expectedUrgent = seedPanels(requests).urgent;
  const completed = seedPanels(requests).recent;
  await expect(urgent.locator('li')).toHaveCount(expectedUrgent.length);
  await expect(recent.locator('li')).toHaveCount(completed.length);
  for (const [i, r] of expectedUrgent.entries()) {
    await expect(urgent.locator('li').nth(i).locator('button')).toHaveAttribute('title', r.request_text);
  }
  for (const [i, r] of completed.entries()) {
    await expect(recent.locator('li').nth(i).locator('button')).toHaveAttribute('title', r.request_text);
  }
  expect(await mock.calls()).toBe(0);
});

test.describe('switching from demo to a slow live API', () => {
  test.use({ mockFlags: ['--latency-ms', '1500', '--records', '77'] });

  test("the demo's totals are not shown as the live API's while its own load", async ({ dashboard, mock, page }) => {
    const { requests } = await mock.dataset();
    await dashboard.open();
    // The demo's totals first (a few hundred requests, none of them the mock's 77).
    await expect(card(page, 'completed').locator('.card-count')).toHaveText(/^\d[\d,]*$/);
    await dashboard.connect();
    // Until the live answers arrive the cards wait: never the demo's figures under "Live API".
    for (const s of STATUSES) await expect(card(page, s).locator('.card-count')).toHaveText('…');
    await expectCards(page, requests);
  });
});

test.describe('analyze all matching, cancelled at once', () => {
  test.use({ mockFlags: ['--latency-ms', '600', '--records', '900'] });

  test('says 0 of the matching total, and offers no partial export of nothing', async ({ dashboard, page }) => {
    await dashboard.open();
    await dashboard.connect();
    await expect(dashboard.rows).toHaveCount(50);
    await page.getByRole('button', { name: 'Analyze all matching' }).click();
    await page.locator('.overview').getByRole('button', { name: 'Cancel' }).click();
    await expect(page.locator('.overview')).toContainText('Cancelled; what arrived is kept.');
    await expect(page.locator('.progress-text')).toHaveText('0 of 900');
    await expect(page.locator('.export-partial')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Export CSV' })).toBeEnabled();
  });
});

test.describe('analyze all matching', () => {
  test.use({ mockFlags: ['--records', '1234'] });

  test('shows its cost, reaches 100%, and the figures equal the seed definitions on the full data set', async ({ dashboard, mock, page }) => {
    const { requests } = await mock.dataset();
    expect(requests.length).toBe(1234);
    await dashboard.open();
    await dashboard.connect();
    await expect(dashboard.rows).toHaveCount(50);
    const analyze = page.getByRole('button', { name: 'Analyze all matching' });
    await expect(page.locator('.analyze .cost')).toHaveText('Loads 13 pages: 13 calls');
    await mock.resetStats();
    await analyze.click();
    await expect(page.locator('.progress-text')).toHaveText('1,234 of 1,234', { timeout: 30_000 });
    await expect(page.locator('.overview .scope')).toHaveText('Based on all 1,234 matching requests');
    await expect(page.locator('.analyze .cost')).toHaveText('0 calls — already loaded');
    await expect(analyze).toBeDisabled();
    expect((await listCalls(mock)).length).toBeLessThanOrEqual(13);

    const seed = seedResponseTimes(requests);
    await expect(page.locator('[data-stat="count"] dd')).toHaveText(thousands(seed.count));
    await expect(page.locator('[data-stat="median"] dd')).toHaveText(formatDuration(seed.median));
    await expect(page.locator('[data-stat="median"] dd')).toHaveAttribute('title', new RegExp(`^${Math.round(seed.median * 10) / 10} seconds$`));
    await expect(page.locator('[data-stat="min"] dd')).toHaveText(formatDuration(seed.min));
    await expect(page.locator('[data-stat="max"] dd')).toHaveText(formatDuration(seed.max));
    const rows = page.locator('#chart-ranges tbody tr');
    await expect(rows).toHaveCount(4);
    for (const [label, n] of Object.entries(seed.ranges)) {
      const row = rows.filter({ has: page.locator('th', { hasText: label }) });
      await expect(row.locator('td')).toHaveText(new RegExp(`^${thousands(n)} \\(`));
      // The bar's hover value says the same.
      const hover = page.locator('#chart-ranges svg rect title', { hasText: `${label}: ${thousands(n)} (` });
      await expect(hover).toHaveCount(1);
    }
    const sum = Object.values(seed.ranges).reduce((a, b) => a + b, 0);
    expect(sum).toBe(seed.count);

    // Timeout rate over all finished (completed + timeout).
    const done = requests.filter((r) => r.status === 'completed').length;
    const timeouts = requests.filter((r) => r.status === 'timeout').length;
    await expect(page.locator('[data-stat="timeout-rate"] dd')).toContainText(`(${thousands(timeouts)})`);
    await expect(page.locator('[data-stat="finished"] dd')).toHaveText(thousands(done + timeouts));

    // Priority distribution: the seed's count and completed per priority.
    for (const p of ['low', 'medium', 'high', 'critical']) {
      const mine = requests.filter((r) => r.priority === p);
      const completed = mine.filter((r) => r.status === 'completed' && r.response_time_seconds).length;
      const row = page.locator('#priorities tbody tr').filter({ has: page.locator('th', { hasText: new RegExp(`^${p}$`, 'i') }) });
      await expect(row.locator('td').nth(0)).toHaveText(thousands(mine.length));
      await expect(row.locator('td').nth(1)).toHaveText(thousands(completed));
    }

    // Every chart is a named image with a title, and its data table (five, and the three
    // trends charts).
    const charts = page.locator('.overview svg[role="img"]');
    await expect(charts).toHaveCount(8);
    for (const svg of await charts.all()) {
      const id = await svg.getAttribute('aria-labelledby');
      await expect(page.locator(`[id="${id}"]`)).not.toHaveText('');
      expect(await svg.locator('title').count()).toBeGreaterThan(1);
    }
    await expect(page.locator('.overview .chart-data table')).toHaveCount(8);
  });

  test('cancel stops the load and keeps what arrived; resume finishes it', async ({ dashboard, mock, page }) => {
    await dashboard.open();
    await dashboard.connect();
    await expect(dashboard.rows).toHaveCount(50);
    // Slow the answers down so that there is time to cancel.
    await page.route(pageOf100, async (route) => {
      await new Promise((r) => setTimeout(r, 700));
      await route.continue().catch(() => {});
    });
    await page.getByRole('button', { name: 'Analyze all matching' }).click();
    await expect(page.locator('.progress-text')).toHaveText(/^[1-9][\d,]* of 1,234$/, { timeout: 15_000 });
    await page.locator('.analyze').getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect(page.locator('.progress-line [role="status"]')).toHaveText('Cancelled; what arrived is kept.');
    const text = (await page.locator('.progress-text').textContent())!;
    const kept = Number(text.split(' of ')[0].replace(/,/g, ''));
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(1234);
    await expect(page.locator('.overview .scope')).toHaveText(new RegExp(`^Based on ${thousands(kept)} of 1,234 matching requests`));
    const resume = page.locator('.analyze').getByRole('button', { name: 'Resume', exact: true });
    const missing = 13 - Math.ceil(kept / 100);
    const pages = missing === 1 ? 'page' : 'pages';
    const calls = missing === 1 ? 'call' : 'calls';
    await expect(page.locator('.analyze .cost')).toHaveText(`Loads ${missing} more ${pages}: ${missing} ${calls}`);
    await page.unroute(pageOf100);
    await resume.click();
    await expect(page.locator('.progress-text')).toHaveText('1,234 of 1,234', { timeout: 30_000 });
    await expect(page.locator('.overview .scope')).toHaveText('Based on all 1,234 matching requests');
  });
});

test('an error stops the load with its reason and a Resume button', async ({ dashboard, page }) => {
  await dashboard.open();
  await dashboard.connect();
  await expect(dashboard.rows).toHaveCount(50);
  await page.route(pageOf100, (route) =>
    route.fulfill({ status: 400, contentType: 'application/json', body: '{"error":true,"msg":"Invalid pagination parameters","data":"nope"}' }),
  );
  await page.getByRole('button', { name: 'Analyze all matching' }).click();
  await expect(page.locator('.progress-line .stop-reason')).toHaveText('Stopped: Invalid pagination parameters');
  await expect(page.locator('.analyze').getByRole('button', { name: 'Resume', exact: true })).toBeEnabled();
});

test('demo mode: cards, panels and analyze-all work without calling any server', async ({ dashboard, mock, page }) => {
  await dashboard.open();
  await expect(page.locator('.source-badge')).toHaveText('Demo data');
  for (const s of STATUSES) await expect(card(page, s).locator('.card-count')).toHaveText(/^\d[\d,]*$/);
  await expect(page.locator('.cards-head .cost')).toHaveText('Totals: 0 calls (demo data)');
  const total = (await dashboard.range.textContent())!.split(' of ')[1];
  const sum = (await page.locator('.card-count').allTextContents()).reduce((a, t) => a + Number(t.replace(/,/g, '')), 0);
  expect(thousands(sum)).toBe(total);
  await expect(page.locator('.analyze .cost')).toContainText('0 calls (demo data)');
  await page.getByRole('button', { name: 'Analyze all matching' }).click();
  await expect(page.locator('.overview .scope')).toHaveText(`Based on all ${total} matching requests`);
  await page.getByRole('button', { name: /Urgent pending and recent completions/ }).click();
  await expect(page.locator('.mini-list').filter({ hasText: 'Recent completions' }).locator('li')).toHaveCount(10);
  await card(page, 'completed').click();
  await expect(dashboard.rows.first()).toHaveAttribute('data-status', 'completed');
  expect(await mock.calls()).toBe(0);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`no axe-core violations in the cards, panels, analytics and charts (${scheme})`, async ({ dashboard, page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await dashboard.open();
    await dashboard.connect();
    await expect(dashboard.rows).toHaveCount(50);
    await page.getByRole('button', { name: 'Analyze all matching' }).click();
    await expect(page.locator('.overview .scope')).toHaveText(/^Based on all/);
    await page.getByRole('button', { name: /Urgent pending and recent completions/ }).click();
    await expect(page.locator('.mini-list').first()).toBeVisible();
    for (const d of await page.locator('.overview details').all()) await d.locator('summary').click();
    const results = await new AxeBuilder({ page }).include('.cards').include('.overview').analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });
}

test('chart labels are drawn at no less than nine tenths of their size, laptop to wide screen', async ({ dashboard, page }) => {
  for (const [width, height] of [[1280, 800], [1366, 768], [1536, 864], [1920, 1080]]) {
    await page.setViewportSize({ width, height });
    await dashboard.open();
    await expect(dashboard.rows.first()).toBeVisible();
    const charts = page.locator('.overview figure.chart');
    await charts.first().scrollIntoViewIfNeeded();
    const scales = await charts.evaluateAll((figs) =>
      figs.map((f) => {
        const svg = f.querySelector('svg')!;
        return { id: f.id, scale: svg.getBoundingClientRect().width / svg.viewBox.baseVal.width };
      }),
    );
    expect(scales.length).toBeGreaterThan(2);
    for (const { id, scale } of scales) expect(scale, `${id} at ${width} px`).toBeGreaterThanOrEqual(0.9);
  }
});
