// Issue 22: operations analytics — the time window (URL, days in the shown zone, what it covers,
// loading only the window), breakdowns by loop, reviewer and response type, trends per day and
// per hour, and the SLA watch. Every expected figure is computed here from the mock's data set
// (`mock.dataset()`), with the vendor's definitions (median = sorted[n/2]); calls are counted
// on the mock.
import * as fs from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { test, expect, Page } from '../support/fixtures';
import type { MockApi } from '../support/mock';
import { parseCsv } from '../support/csv';

const thousands = (n: number) => n.toLocaleString('en-US');
const DAY = 86_400_000;
const HOUR = 3_600_000;

/** The vendor's format_duration (seed), with the singular for exactly one. */
function formatDuration(seconds: number): string {
  const s = Math.max(0, seconds);
  const plural = (n: number, unit: string) => (n === 1 ? `1 ${unit}` : `${n} ${unit}s`);
  if (s < 60) return plural(Math.trunc(s), 'second');
  if (s < 3600) return plural(Math.trunc(s / 60), 'minute');
  const whole = Math.trunc(s);
  return `${Math.trunc(whole / 3600)}h ${Math.trunc((whole % 3600) / 60)}m`;
}

/** The start (ms) of the day `days` days before the day of `now`, in a zone `offset` minutes
 *  east of UTC (a fixed offset: the zones used here have no daylight saving). */
function dayStart(now: number, offset: number, days: number): number {
  const local = now + offset * 60_000;
  return Math.floor(local / DAY) * DAY - days * DAY - offset * 60_000;
}

/** Requests created in [start, end). */
const createdIn = (requests: any[], start: number, end = Infinity) =>
  requests.filter((r) => r.created_at && Date.parse(r.created_at) >= start && Date.parse(r.created_at) < end);

/** The vendor's median (sorted[n/2]) and the nearest-rank 90th percentile of completed requests
 *  with a truthy response time. */
function times(requests: any[]) {
  const t = requests
    .filter((r) => r.status === 'completed' && r.response_time_seconds)
    .map((r) => r.response_time_seconds as number)
    .sort((a, b) => a - b);
  return {
    n: t.length,
    median: t[Math.floor(t.length / 2)],
    p90: t[Math.ceil(0.9 * t.length) - 1],
    average: t.reduce((a, b) => a + b, 0) / Math.max(1, t.length),
  };
}

/** List calls in the mock's log (the loops call is not a list call). */
async function listCalls(mock: MockApi): Promise<string[]> {
  return (await mock.stats()).log
    .map((c) => c.uri.replace(/&$/, ''))
    .filter((u) => /^\/v1\/api\/requests(\?|$)/.test(u));
}

const scope = (page: Page) => page.locator('.overview .scope');
const covers = (page: Page) => page.locator('.window-count');
const windowSelect = (page: Page) => page.getByLabel('Time window', { exact: true });

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

test.describe('the time window in the URL', () => {
  test.use({ timezoneId: 'UTC' });

  test('the select and the From and To days write the URL; invalid values are explained, never a crash', async ({ dashboard, page, mock }) => {
    await dashboard.open();
    await expect(dashboard.rows).toHaveCount(50);
    await expect(windowSelect(page)).toHaveValue('all');
    await expect(page.locator('#w-window option')).toHaveText(['Last 24 hours', 'Last 7 days', 'Last 30 days', 'All time', 'Custom range']);
    await windowSelect(page).selectOption('7d');
    await expect(page).toHaveURL(/\?window=7d$/);
    await expect(covers(page)).toHaveText(/^Requests created in the last 7 days: \d[\d,]*$/);
    // A filter keeps the window, and the window keeps the filter.
    await dashboard.select('Status').selectOption('completed');
    await expect(page).toHaveURL(/status=completed/);
    await expect(page).toHaveURL(/window=7d/);
    await page.getByLabel('From', { exact: true }).fill('2026-11-01');
    await expect(page).toHaveURL(/window=7d/); // one day alone waits for the other
    await page.getByLabel('To', { exact: true }).fill('2026-11-07');
    await expect(page).toHaveURL(/\?status=completed&from=2026-11-01&to=2026-11-07$/);
    await expect(windowSelect(page)).toHaveValue('custom');
    await expect(covers(page)).toHaveText(/^Requests created 1 Nov – 7 Nov 2026: \d[\d,]*$/);
    await windowSelect(page).selectOption('all');
    await expect(page).toHaveURL(/\?status=completed$/);
    await expect(page.getByLabel('From', { exact: true })).toHaveValue('');

    // Invalid values: the banner says what is wrong, the table still loads.
    for (const [search, says] of [
      ['?window=bogus', 'window must be one of: 24h, 7d, 30d, all'],
      ['?from=2026-11-07&to=2026-11-01', 'from must not be after to'],
      ['?from=2026-13-01&to=2026-11-01', 'from must be a date (YYYY-MM-DD)'],
      ['?from=2026-11-01', 'from and to must be given together'],
      ['?window=7d&from=2026-11-01&to=2026-11-02', 'window cannot be combined with from and to'],
    ]) {
      await dashboard.open(search);
      await expect(dashboard.banner).toContainText('Invalid time window');
      await expect(dashboard.banner).toContainText(says);
      await expect(dashboard.rows).toHaveCount(50);
    }
    // With an invalid filter too, both are said at once.
    await dashboard.open('?status=bogus&window=1y');
    await expect(dashboard.banner).toContainText('status must be one of');
    await expect(dashboard.banner).toContainText('window must be one of');
    // Demo data: no call at all.
    expect(await mock.calls()).toBe(0);
  });
});

test.describe('a 7-day window over 10,000 requests, about 1,000 of them in that week', () => {
  // The mock's data spans the 30 days before its --now, most of it recent; the page's clock is
  // six days later, so that the last 7 days (in UTC) hold only the mock's last seven hours.
  test.use({
    timezoneId: 'UTC',
    mockFlags: ['--records', '10000', '--now', '2026-11-28T07:00:00Z'],
    pageNow: '2026-12-04T12:00:00Z',
  });

  test('counts it for 1 call, loads only the window (⌈N/100⌉ calls) and a narrower window at 0 calls', async ({ dashboard, mock, page }) => {
    const { requests } = await mock.dataset();
    expect(requests.length).toBe(10_000);
    const start = Date.parse('2026-11-28T00:00:00Z');
    const week = createdIn(requests, start);
    const n = week.length;
    expect(n).toBeGreaterThan(800);
    expect(n).toBeLessThan(1200);
    const pages = Math.ceil(n / 100);

    await dashboard.open('?window=7d');
    await dashboard.connect();
    await expect(covers(page)).toHaveText(`Requests created in the last 7 days: ${thousands(n)}`);
    await expect(page.locator('.window-bar .cost')).toHaveText('Count: 1 call (limit=1), cached for a minute');
    await expect(page.locator('.analyze .cost')).toHaveText(`Loads ${pages} pages of the requests created in the last 7 days: ${pages} calls`);
    await expect(scope(page)).toHaveText(`Based on 50 of ${thousands(n)} requests in the last 7 days (the page on screen)`);
    await dashboard.settled();
    // The first load (table + cards) and the count: created_before the window's start.
    const first = await listCalls(mock);
    expect(first.filter((u) => u.includes('created_before'))).toEqual([
      '/v1/api/requests?limit=1&created_before=2026-11-28T00%3A00%3A00Z',
    ]);

    await mock.resetStats();
    await page.getByRole('button', { name: 'Analyze all matching' }).click();
    await expect(scope(page)).toHaveText(`Based on ${thousands(n)} of ${thousands(n)} requests in the last 7 days`, { timeout: 30_000 });
    await dashboard.settled();
    const load = await listCalls(mock);
    // Newest first, 100 at a time, the window's pages and no more.
    expect(load.length, load.join('\n')).toBe(pages);
    for (const [i, u] of [...load].sort((a, b) => Number(/offset=(\d+)/.exec(a)?.[1] ?? 0) - Number(/offset=(\d+)/.exec(b)?.[1] ?? 0)).entries()) {
      // created_at_desc is the API's default sort: the canonical query leaves it out.
      expect(u).toBe(`/v1/api/requests?limit=100${i ? `&offset=${i * 100}` : ''}`);
    }
    await expect(page.locator('.analyze .cost')).toHaveText('0 calls — already loaded');

    // The figures are the window's.
    const t = times(week);
    await expect(page.locator('[data-stat="count"] dd')).toHaveText(thousands(t.n));
    await expect(page.locator('[data-stat="median"] dd')).toHaveText(formatDuration(t.median));
    await expect(page.locator('[data-stat="p90"] dd')).toHaveText(formatDuration(t.p90));

    // Export: the window's requests, from the loaded set, at 0 calls.
    await mock.resetStats();
    await expect(page.locator('.export-cost')).toHaveText(/^Export costs 0 calls \(the requests created in the last 7 days: Time window\)/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('.export').getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('hitl-requests-2026-12-04-window-7d.csv');
    const rows = parseCsv(fs.readFileSync((await download.path())!, 'utf8')).slice(1);
    expect(rows.map((r) => r[0]).sort()).toEqual(week.map((r) => r.id).sort());
    // In the view's order: newest first.
    const created = rows.map((r) => Date.parse(r[10]));
    expect(created).toEqual([...created].sort((a, b) => b - a));

    // A narrower window is served by the loaded set: no count, no load.
    await page.getByLabel('From', { exact: true }).fill('2026-11-28');
    await page.getByLabel('To', { exact: true }).fill('2026-11-28');
    const day = createdIn(requests, start, start + DAY);
    await expect(scope(page)).toHaveText(`Based on ${thousands(day.length)} of ${thousands(day.length)} requests created 28 Nov 2026`);
    await expect(page.locator('.window-bar .cost')).toHaveText('Count: 0 calls (counted from what is loaded)');
    await dashboard.settled();
    expect(await listCalls(mock)).toEqual([]);
  });
});

test.describe('a window whose requests are all loaded by Analyze all matching', () => {
  test.use({ timezoneId: 'Asia/Kolkata', mockFlags: ['--records', '300'] });

  test('days are counted in the zone Times shows, and the wider set serves every window at 0 calls', async ({ dashboard, mock, page }) => {
    const { requests } = await mock.dataset();
    const now = Date.parse(mock.now);
    await dashboard.open();
    await dashboard.connect();
    await expect(dashboard.rows).toHaveCount(50);
    await page.getByRole('button', { name: 'Analyze all matching' }).click();
    await expect(scope(page)).toHaveText('Based on all 300 matching requests');
    await mock.resetStats();
    // Local time (UTC+05:30): the last 7 days start at local midnight six days ago.
    const local = createdIn(requests, dayStart(now, 330, 6));
    await windowSelect(page).selectOption('7d');
    await expect(covers(page)).toHaveText(`Requests created in the last 7 days: ${local.length}`);
    await expect(scope(page)).toHaveText(`Based on ${local.length} of ${local.length} requests in the last 7 days`);
    // In UTC the same window starts 5 h 30 min later.
    await page.getByRole('button', { name: /^Times:/ }).click();
    await expect(page.getByRole('button', { name: /^Times:/ })).toHaveText('Times: UTC');
    const utc = createdIn(requests, dayStart(now, 0, 6));
    await expect(covers(page)).toHaveText(`Requests created in the last 7 days: ${utc.length}`);
    // Custom days, both included.
    const d = new Date(now - 3 * DAY).toISOString().slice(0, 10);
    const e = new Date(now - 1 * DAY).toISOString().slice(0, 10);
    await page.getByLabel('From', { exact: true }).fill(d);
    await page.getByLabel('To', { exact: true }).fill(e);
    const custom = createdIn(requests, Date.parse(`${d}T00:00:00Z`), Date.parse(`${e}T00:00:00Z`) + DAY);
    await expect(scope(page)).toHaveText(new RegExp(`^Based on ${custom.length} of ${custom.length} requests created `));
    // 24 hours: from the start of the hour 24 hours ago (Times shows UTC now).
    await windowSelect(page).selectOption('24h');
    const hour = Math.floor(now / HOUR) * HOUR;
    const last24 = createdIn(requests, hour - 24 * HOUR);
    await expect(covers(page)).toHaveText(`Requests created in the last 24 hours: ${last24.length}`);
    await dashboard.settled();
    expect(await listCalls(mock)).toEqual([]);
  });
});

/** Figures of a breakdown row as the dashboard writes them, computed from `requests`. */
function figures(requests: any[]) {
  const completed = requests.filter((r) => r.status === 'completed').length;
  const timeouts = requests.filter((r) => r.status === 'timeout').length;
  const share = (a: number, b: number) => (b === 0 ? 0 : a / b);
  const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
  const t = times(requests);
  const time = (s: number | undefined) => (t.n ? formatDuration(s!) : '—');
  return [
    thousands(requests.length),
    thousands(completed),
    pct(share(completed, requests.length)),
    thousands(timeouts),
    pct(share(timeouts, completed + timeouts)),
    time(t.median),
    time(t.p90),
    time(t.average),
  ];
}

const TYPE_LABELS: Record<string, string> = {
  text: 'Text', single_select: 'Single select', multi_select: 'Multi select', rating: 'Rating', number: 'Number', boolean: 'Yes/no',
};

function groupBy(requests: any[], key: (r: any) => string): Map<string, any[]> {
  const m = new Map<string, any[]>();
  for (const r of requests) m.set(key(r), [...(m.get(key(r)) ?? []), r]);
  return m;
}

test.describe('breakdowns by loop, by reviewer and by response type', () => {
  test.use({ timezoneId: 'UTC', mockFlags: ['--records', '300'] });

  test('equal the data set, by loop name and reviewer email, sortable, a loop filters the table, each saves as CSV', async ({ dashboard, mock, page }) => {
    const { requests, loops } = await mock.dataset();
    const loopName = new Map<string, string>(loops.map((l: any) => [l.id, l.name]));
    const email = new Map<string, string>(loops.flatMap((l: any) => l.members.map((m: any) => [m.user_id, m.email])));
    await dashboard.open();
    await dashboard.connect();
    await expect(dashboard.rows).toHaveCount(50);
    await mock.resetStats();
    await page.getByRole('button', { name: 'Analyze all matching' }).click();
    await expect(scope(page)).toHaveText('Based on all 300 matching requests');
    for (const h of ['By loop', 'By reviewer', 'By response type']) {
      await expect(page.getByRole('heading', { name: h, exact: true })).toBeVisible();
    }
    const byLoop = page.locator('#by-loop');
    // Ids until the names are asked for: one call (GET /v1/api/loops), once, its cost said first.
    const firstLoop = requests[0].loop_id;
    await expect(byLoop.locator('tbody th').filter({ hasText: firstLoop })).toHaveCount(1);
    await expect(page.locator('.breakdowns')).toContainText('Loops and reviewers are shown by id. Show loop names and reviewer emails (1 call, once)');
    await page.getByRole('button', { name: 'Show loop names and reviewer emails' }).click();
    await expect(page.locator('.breakdowns > p').first()).toHaveText('Loops by name, reviewers by email.');
    for (const [id, rs] of groupBy(requests, (r) => r.loop_id)) {
      const row = byLoop.locator('tbody tr').filter({ has: page.locator('th', { hasText: new RegExp(`^${loopName.get(id)}$`) }) });
      await expect(row.locator('td')).toHaveText(figures(rs));
    }
    await expect(byLoop.locator('tbody tr.total td')).toHaveText(figures(requests));
    await expect(byLoop.locator('p.muted')).toHaveText('Based on all 300 matching requests');

    const byReviewer = page.locator('#by-reviewer');
    const reviewers = groupBy(requests, (r) => r.response_by ?? '');
    for (const [id, rs] of reviewers) {
      const label = id ? email.get(id)! : 'No reviewer';
      const row = byReviewer.locator('tbody tr').filter({ has: page.locator('th', { hasText: new RegExp(`^${label}$`) }) });
      await expect(row.locator('td')).toHaveText(figures(rs));
    }
    // No reviewer is the last row whatever the order.
    await expect(byReviewer.locator('tbody tr:not(.total) th').last()).toHaveText('No reviewer');

    const byType = page.locator('#by-response-type');
    for (const [type, rs] of groupBy(requests, (r) => r.response_type)) {
      const row = byType.locator('tbody tr').filter({ has: page.locator('th', { hasText: new RegExp(`^${TYPE_LABELS[type]}$`) }) });
      await expect(row.locator('td')).toHaveText(figures(rs));
    }

    // Sorting: by median, slowest first, then fastest first; aria-sort on the header cell.
    const median = byLoop.locator('thead th').filter({ hasText: 'Median' });
    await median.getByRole('button').click();
    await expect(median).toHaveAttribute('aria-sort', 'descending');
    await expect(byLoop.locator('thead th').filter({ hasText: 'Requests' })).toHaveAttribute('aria-sort', 'none');
    const medians = [...groupBy(requests, (r) => r.loop_id)]
      .map(([id, rs]) => ({ name: loopName.get(id)!, median: times(rs).median }))
      .sort((a, b) => b.median - a.median || a.name.localeCompare(b.name));
    await expect(byLoop.locator('tbody tr:not(.total) th')).toHaveText(medians.map((m) => m.name));
    await median.getByRole('button').click();
    await expect(median).toHaveAttribute('aria-sort', 'ascending');
    await expect(byLoop.locator('tbody tr:not(.total) th')).toHaveText([...medians].reverse().map((m) => m.name));
    // By name, A to Z.
    const key = byLoop.locator('thead th').first();
    await key.getByRole('button').click();
    await expect(key).toHaveAttribute('aria-sort', 'ascending');
    const names = [...loopName.values()].filter((n) => requests.some((r) => loopName.get(r.loop_id) === n));
    await expect(byLoop.locator('tbody tr:not(.total) th')).toHaveText([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));

    // Each table saves as CSV, in the order shown, with a total line.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      byLoop.getByRole('button', { name: 'Save as CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^hitl-by-loop-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = parseCsv(fs.readFileSync((await download.path())!, 'utf8'));
    expect(csv[0].slice(0, 3)).toEqual(['Loop', 'id', 'requests']);
    expect(csv.slice(1, -1).map((r) => r[0])).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    expect(csv[csv.length - 1].slice(0, 3)).toEqual(['All', '', '300']);

    // Only list calls for the set, and the loops once.
    const log = (await mock.stats()).log.map((c) => c.uri);
    expect(log.filter((u) => u.startsWith('/v1/api/loops'))).toEqual(['/v1/api/loops']);

    // A loop's name filters the table by that loop.
    const [id, mine] = [...groupBy(requests, (r) => r.loop_id)][0];
    await byLoop.getByRole('button', { name: loopName.get(id), exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`loop_id=${id}`));
    await expect(dashboard.range).toHaveText(new RegExp(`of ${mine.length}$`));
    await expect(page.getByLabel('Loop ID')).toHaveValue(id);
  });

  test('scroll inside their box on a phone and on a laptop, with readable labels; axe finds nothing serious', async ({ dashboard, page }) => {
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await dashboard.open();
      await expect(dashboard.rows).toHaveCount(50);
      await page.getByRole('button', { name: 'Analyze all matching' }).click();
      await expect(scope(page)).toHaveText('Based on all 240 matching requests');
      const wrap = page.locator('#by-loop .table-wrap');
      await wrap.scrollIntoViewIfNeeded();
      const pageOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(pageOverflow, `page at ${width} px`).toBeLessThanOrEqual(1);
      const scrolls = await wrap.evaluate((el) => el.scrollWidth > el.clientWidth);
      expect(scrolls, `the table scrolls in its box at ${width} px`).toBe(width < 1024);
      const size = await page.locator('#by-loop tbody td').first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
      expect(size).toBeGreaterThanOrEqual(12);
    }
    expect(await seriousViolations(page)).toEqual([]);
  });
});

/** The per-bucket trends of `requests` created in [start, end), buckets from `edges`
 *  (ascending instants, one more than the buckets): created on creation, completed when
 *  answered (response_at), timed out at timeout_at; median and p90 of those answered in it. */
function trends(requests: any[], edges: number[]) {
  const inWindow = createdIn(requests, edges[0], edges[edges.length - 1]);
  const at = (t: string | null | undefined) => (t ? Date.parse(t) : NaN);
  return edges.slice(0, -1).map((from, i) => {
    const to = edges[i + 1];
    const inside = (t: number) => t >= from && t < to;
    const created = inWindow.filter((r) => inside(at(r.created_at))).length;
    const answered = inWindow.filter((r) => r.status === 'completed' && inside(at(r.response_at)));
    const timeouts = inWindow.filter((r) => r.status === 'timeout' && inside(at(r.timeout_at ?? r.updated_at))).length;
    const t = times(answered);
    const rate = answered.length + timeouts === 0 ? 0 : timeouts / (answered.length + timeouts);
    return { created, completed: answered.length, timeouts, rate, ...t };
  });
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
const mmdd = (ms: number, offset: number) => new Date(ms + offset * 60_000).toISOString().slice(5, 10);
const ymd = (ms: number, offset: number) => new Date(ms + offset * 60_000).toISOString().slice(0, 10);

test.describe('trends', () => {
  test.use({ timezoneId: 'Asia/Kolkata', mockFlags: ['--records', '400'] });

  test('per day in the zone Times shows: counts, median and 90th percentile, timeout rate, as charts and tables', async ({ dashboard, mock, page }) => {
    const { requests } = await mock.dataset();
    const now = Date.parse(mock.now);
    const offset = 330; // Asia/Kolkata, no daylight saving
    await dashboard.open('?window=7d');
    await dashboard.connect();
    await page.getByRole('button', { name: 'Analyze all matching' }).click();
    const edges = [6, 5, 4, 3, 2, 1, 0, -1].map((d) => dayStart(now, offset, d));
    const expected = trends(requests, edges);
    const n = createdIn(requests, edges[0]).length;
    await expect(scope(page)).toHaveText(`Based on ${n} of ${n} requests in the last 7 days`);
    await expect(page.getByRole('heading', { name: 'Trends per day' })).toBeVisible();
    await expect(page.locator('#trends > p').first()).toContainText('Per day in local time (UTC+05:30)');

    // Counts: the bars' table.
    const counts = page.locator('#chart-trend-counts');
    await expect(counts.locator('svg > title')).toHaveText(new RegExp(`^Requests created, completed and timed out per day, ${ymd(edges[0], offset)} to ${ymd(edges[6], offset)}$`));
    await expect(counts.locator('tbody tr')).toHaveCount(7);
    for (const [i, b] of expected.entries()) {
      const row = counts.locator('tbody tr').nth(i);
      await expect(row.locator('th')).toHaveText(mmdd(edges[i], offset));
      await expect(row.locator('td')).toHaveText([thousands(b.created), thousands(b.completed), thousands(b.timeouts)]);
    }
    // Median and p90: lines, each point with its hover value, and the table.
    const lines = page.locator('#chart-trend-times');
    await expect(lines.locator('svg path.line')).toHaveCount(2);
    for (const [i, b] of expected.entries()) {
      const row = lines.locator('tbody tr').nth(i);
      await expect(row.locator('th')).toHaveText(ymd(edges[i], offset));
      await expect(row.locator('td')).toHaveText([
        thousands(b.n),
        b.n ? formatDuration(b.median) : '—',
        b.n ? formatDuration(b.p90) : '—',
      ]);
      if (b.n) {
        await expect(lines.locator('circle title', { hasText: `${ymd(edges[i], offset)}: median ${formatDuration(b.median)} (n = ${thousands(b.n)})` })).toHaveCount(1);
      }
    }
    // The timeout rate.
    const rates = page.locator('#chart-trend-timeouts');
    for (const [i, b] of expected.entries()) {
      await expect(rates.locator('tbody tr').nth(i).locator('td').nth(3)).toHaveText(pct(b.rate));
    }
    await expect(rates.locator('legend, .legend li')).toHaveText(['Timeout rate']);

    // On a phone the charts keep readable labels and scroll inside their box; the page does not.
    await page.setViewportSize({ width: 390, height: 800 });
    for (const id of ['chart-trend-counts', 'chart-trend-times', 'chart-trend-timeouts']) {
      const label = page.locator(`#${id} svg text`).first();
      await label.scrollIntoViewIfNeeded();
      expect(await label.evaluate((el) => el.getBoundingClientRect().height), id).toBeGreaterThanOrEqual(8);
      expect(await page.locator(`#${id}`).evaluate((el) => el.scrollWidth > el.clientWidth), id).toBe(true);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1);
  });

  test('per hour for the last 24 hours', async ({ dashboard, mock, page }) => {
    const { requests } = await mock.dataset();
    const now = Date.parse(mock.now);
    // Whole hours of the zone (UTC+05:30): the hour now began at :30 UTC.
    const off = 330 * 60_000;
    const hour = Math.floor((now + off) / HOUR) * HOUR - off;
    await dashboard.open('?window=24h');
    await expect(dashboard.rows).toHaveCount(50);
    // Demo data first: then the mock's, loaded in full (400 requests, 4 pages).
    await dashboard.connect();
    await page.getByRole('button', { name: 'Analyze all matching' }).click();
    const edges = Array.from({ length: 26 }, (_, i) => hour - 24 * HOUR + i * HOUR);
    const expected = trends(requests, edges);
    const n = createdIn(requests, edges[0]).length;
    await expect(scope(page)).toHaveText(`Based on ${n} of ${n} requests in the last 24 hours`);
    await expect(page.getByRole('heading', { name: 'Trends per hour' })).toBeVisible();
    const counts = page.locator('#chart-trend-counts tbody tr');
    await expect(counts).toHaveCount(25);
    for (const [i, b] of expected.entries()) {
      const local = new Date(edges[i] + off).toISOString().slice(11, 13);
      await expect(counts.nth(i).locator('th')).toHaveText(`${local}:00`);
      await expect(counts.nth(i).locator('td')).toHaveText([thousands(b.created), thousands(b.completed), thousands(b.timeouts)]);
    }
  });
});

const RANK: Record<string, number> = { low: 0, medium: 1, high: 2, critical: 3 };

/** A pending request's state against its deadline at `now` (ms): the issue's definition. */
function slaState(r: any, now: number): 'on-track' | 'at-risk' | 'overdue' {
  const deadline = Date.parse(r.timeout_at);
  const left = deadline - now;
  if (left <= 0) return 'overdue';
  const whole = deadline - Date.parse(r.created_at);
  return left < 15 * 60_000 || (whole > 0 && left * 10 < whole) ? 'at-risk' : 'on-track';
}

/** The watch over `pending` at `now`: soonest deadline first (ties: higher priority, then id). */
function watch(pending: any[], now: number) {
  const rows = pending
    .filter((r) => r.timeout_at)
    .map((r) => ({ r, state: slaState(r, now), left: Date.parse(r.timeout_at) - now }))
    .sort((a, b) => a.left - b.left || RANK[b.r.priority] - RANK[a.r.priority] || (a.r.id < b.r.id ? -1 : 1));
  return {
    rows,
    flagged: rows.filter((x) => x.state !== 'on-track').length,
    overdue: rows.filter((x) => x.state === 'overdue').length,
  };
}

/** hitl_core::format::format_duration_short. */
function short(seconds: number): string {
  const s = Math.max(0, Math.trunc(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.trunc(s / 60)}m`;
  if (s < 86_400) return `${Math.trunc(s / 3600)}h ${Math.trunc((s % 3600) / 60)}m`;
  return `${Math.trunc(s / 86_400)}d ${Math.trunc((s % 86_400) / 3600)}h`;
}

async function change(mock: MockApi, body: object) {
  await fetch(`${mock.url}/__mock/change`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

test.describe('the SLA watch', () => {
  // Playwright's clock, to move the page's time on; Times in UTC.
  test.use({ timezoneId: 'UTC', pageClock: 'playwright' });

  test('lists pending requests by time left with a live countdown; the Pending card and the tab title carry the at-risk count; no call of its own', async ({ dashboard, mock, page }) => {
    // Five new pending requests at the mock's clock: in 1 h 50 min those with a 2-hour timeout
    // have 10 minutes left.
    await change(mock, { create: 5 });
    const { requests } = await mock.dataset();
    const pending = requests.filter((r) => r.status === 'pending');
    expect(pending.length).toBeLessThanOrEqual(100); // the Pending card's call lists them all
    await dashboard.open();
    await dashboard.connect();
    await dashboard.expectTotals();
    await dashboard.settled();
    const calls = await listCalls(mock);
    expect(calls.length, calls.join('\n')).toBe(4);
    expect(calls).toContain('/v1/api/requests?status=pending&sort=created_at_asc&limit=100');
    await expect(page.locator('.sla .scope')).toHaveText(`Based on all ${pending.length} pending requests`);
    await expect(page.locator('.sla .cost')).toHaveText("0 calls of its own: the Pending card's call lists the 100 oldest pending requests");

    const expectWatch = async () => {
      await expect.poll(async () => {
        const w = watch(pending, await page.evaluate(() => Date.now()));
        const shown = await page.locator('.sla-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id')));
        const title = await page.title();
        const card = await page.locator('.status-card[data-status="pending"] .card-risk').textContent();
        return [
          shown.join(',') === w.rows.slice(0, 10).map((x) => x.r.id).join(','),
          title === (w.flagged ? `(${w.flagged}) HITL Requests` : 'HITL Requests'),
          card === (w.overdue ? `${w.flagged} at risk (${w.overdue} overdue)` : `${w.flagged} at risk`),
        ];
      }).toEqual([true, true, true]);
    };
    await expectWatch();
    await page.clock.fastForward('01:50:00');
    const later = watch(pending, await page.evaluate(() => Date.now()));
    expect(later.flagged).toBeGreaterThan(0);
    await expectWatch();
    await expect(page).toHaveTitle(/^\(\d+\) HITL Requests$/);

    // The countdown: a row with time to spare counts down each second.
    const first = later.rows.find((x) => x.left > 10 * 60_000)!;
    const cell = page.locator(`.sla-table tr[data-id="${first.r.id}"] .sla-left`);
    await expect.poll(async () => (await cell.textContent()) === `${short((Date.parse(first.r.timeout_at) - (await page.evaluate(() => Date.now()))) / 1000)} left`).toBe(true);
    await page.clock.fastForward('02:00');
    await expect.poll(async () => (await cell.textContent()) === `${short((Date.parse(first.r.timeout_at) - (await page.evaluate(() => Date.now()))) / 1000)} left`).toBe(true);
    // No call for any of it.
    await dashboard.settled();
    expect((await listCalls(mock)).length).toBe(4);
    // At risk and overdue states keep their contrast, in both themes; a phone scrolls the list.
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: /^Theme:/ }).click();
    await page.getByRole('button', { name: /^Theme:/ }).click(); // dark
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1);
  });

  test('says what it covers when it knows only some pending requests', async ({ dashboard, mock, page }) => {
    // 200 new pending requests: more than the Pending card's list of the 100 oldest.
    await change(mock, { create: 200 });
    const { requests } = await mock.dataset();
    const pending = requests.filter((r) => r.status === 'pending');
    // What the watch reads: the page on screen (the 50 newest requests) and the 100 oldest pending.
    const byAge = (a: any, b: any) => Date.parse(a.created_at) - Date.parse(b.created_at) || (a.id < b.id ? -1 : 1);
    const oldest = [...pending].sort(byAge).slice(0, 100).map((r) => r.id);
    const newest = requests.slice(0, 50).filter((r) => r.status === 'pending').map((r) => r.id);
    const known = new Set([...oldest, ...newest]);
    expect(known.size).toBeLessThan(pending.length);
    await dashboard.open();
    await dashboard.connect();
    await dashboard.expectTotals();
    await expect(page.locator('.sla .scope')).toHaveText(`Based on ${known.size} of ${pending.length} pending requests`);
    await expect(page.locator('.status-card[data-status="pending"] .card-risk')).toHaveAttribute('title', `Based on ${known.size} of ${pending.length} pending requests`);
    // Every request of the list is one the watch knows, soonest deadline first.
    const w = watch(pending.filter((r) => known.has(r.id)), await page.evaluate(() => Date.now()));
    await page.getByRole('button', { name: `Show all ${w.rows.length}` }).click();
    await expect.poll(() => page.locator('.sla-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id'))))
      .toEqual(w.rows.map((x) => x.r.id));
    await dashboard.settled();
    expect((await listCalls(mock)).length).toBe(4);
  });

  test('with the view on Pending the watch asks its one call (oldest first) and says so', async ({ dashboard, mock, page }) => {
    await change(mock, { create: 20 });
    const { requests } = await mock.dataset();
    const pending = requests.filter((r) => r.status === 'pending');
    expect(pending.length).toBeGreaterThan(10);
    await dashboard.open('?status=pending&limit=10');
    await dashboard.connect();
    await dashboard.expectTotals();
    await expect(page.locator('.sla .scope')).toHaveText(`Based on all ${pending.length} pending requests`);
    await expect(page.locator('.sla .cost')).toHaveText('1 call per load or refresh (status=pending, oldest first, 100), cached for a minute');
    await dashboard.settled();
    const calls = await listCalls(mock);
    expect(calls.filter((u) => u.includes('status=pending'))).toEqual([
      '/v1/api/requests?status=pending&limit=10',
      '/v1/api/requests?status=pending&sort=created_at_asc&limit=100',
    ]);
    expect(calls.length).toBe(5);
  });

  test('Notify me asks permission on its click only, then notifies each critical or high request once, with auto-refresh on', async ({ dashboard, mock, page }) => {
    // A Notification that records what the page asks and shows.
    await page.addInitScript(() => {
      const w = window as any;
      w.__asked = 0;
      w.__notes = [];
      class FakeNotification {
        static permission = 'default';
        static requestPermission() {
          w.__asked++;
          FakeNotification.permission = 'granted';
          return Promise.resolve('granted');
        }
        constructor(title: string, options?: { body?: string; tag?: string }) {
          w.__notes.push({ title, body: options?.body, tag: options?.tag });
        }
      }
      w.Notification = FakeNotification;
    });
    await change(mock, { create: 20 });
    const { requests } = await mock.dataset();
    const pending = requests.filter((r) => r.status === 'pending');
    expect(pending.length).toBeLessThanOrEqual(100);
    await dashboard.open();
    await dashboard.connect();
    await dashboard.expectTotals();
    await page.getByLabel('Auto-refresh').selectOption('300');
    expect(await page.evaluate(() => (window as any).__asked)).toBe(0);
    await page.getByRole('button', { name: 'Notify me', exact: true }).click();
    await expect(page.locator('.sla-notify')).toContainText('Notifications on');
    expect(await page.evaluate(() => (window as any).__asked)).toBe(1);
    const before = watch(pending, await page.evaluate(() => Date.now()));
    const flaggedBefore = new Set(before.rows.filter((x) => x.state !== 'on-track').map((x) => x.r.id));
    // An hour and fifty minutes on: requests become at risk or pass their deadline.
    await page.clock.fastForward('01:50:00');
    const after = watch(pending, await page.evaluate(() => Date.now()));
    const due = after.rows
      .filter((x) => x.state !== 'on-track' && !flaggedBefore.has(x.r.id) && ['high', 'critical'].includes(x.r.priority))
      .map((x) => x.r.id)
      .sort();
    expect(due.length).toBeGreaterThan(0);
    await expect.poll(async () => (await page.evaluate(() => (window as any).__notes.map((n: any) => n.tag))).sort()).toEqual(due);
    const notes = await page.evaluate(() => (window as any).__notes);
    for (const n of notes) expect(n.title).toMatch(/^(At risk|Past its deadline): (Critical|High) priority request$/);
    // Later still, they pass their deadline: no second notification for any of them.
    await page.clock.fastForward('00:30:00');
    await dashboard.settled();
    const tags = await page.evaluate(() => (window as any).__notes.map((n: any) => n.tag));
    expect(new Set(tags).size).toBe(tags.length);
    for (const id of due) expect(tags.filter((t: string) => t === id)).toHaveLength(1);
    expect(await page.evaluate(() => (window as any).__asked)).toBe(1);
  });
});
