// Issue 7: demo mode as the default, auto-refresh, keyboard, preferences, accessibility.
import AxeBuilder from '@axe-core/playwright';
import { test, expect, KEY } from '../support/fixtures';

test('demo data: every filter works on it with zero calls to any server', async ({ dashboard, mock, page }) => {
  await dashboard.open();
  await expect(page.locator('.source-badge')).toHaveText('Demo data');
  await dashboard.select('Status').selectOption('pending');
  await expect(page).toHaveURL(/status=pending/);
  await expect(dashboard.rows.first()).toBeVisible();
  for (const s of await page.locator('tbody .c-status .badge').allTextContents()) expect(s).toBe('Pending');
  await dashboard.select('Priority').selectOption('critical');
  for (const p of await page.locator('tbody .c-priority .badge').allTextContents()) expect(p).toBe('Critical');
  await dashboard.select('Status').selectOption('');
  await dashboard.select('Sort').selectOption('created_at_asc');
  await dashboard.select('Page size').selectOption('10');
  await expect(dashboard.rows).toHaveCount(10);
  await expect(dashboard.range).toHaveText(/^1–10 of \d+/);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(dashboard.range).toHaveText(/^11–20 of \d+/);
  // Loop names come with the demo data, free.
  await page.getByLabel('Loop ID').focus();
  await expect(page.locator('#loop-options option')).not.toHaveCount(0);
  expect(await mock.calls()).toBe(0);
});

test.describe('auto-refresh', () => {
  // Playwright's clock, to move time on (installed at the test's clock).
  test.use({ pageClock: 'playwright' });

  test('calls at the chosen interval and never while the tab is hidden', async ({ dashboard, mock, page }) => {
    await dashboard.open();
    await dashboard.connect();
    await expect(dashboard.rows).toHaveCount(50);
    await page.getByLabel('Auto-refresh').selectOption('30');
    await expect(page.locator('.auto-refresh-note')).toContainText('120 calls/hour');
    await mock.resetStats();
    const pageCalls = async () =>
      (await mock.stats()).log.filter((c) => c.uri === '/v1/api/requests').length;

    await page.clock.fastForward('00:31');
    await expect.poll(pageCalls).toBe(1);
    await page.clock.fastForward('00:31');
    await expect.poll(pageCalls).toBe(2);

    // Hidden: nothing, however long.
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    // fastForward runs every timer that falls due on the way, so any call they start is out
    // before `settled` sends its marker.
    await page.clock.fastForward('02:00');
    await dashboard.settled();
    expect(await pageCalls()).toBe(2);
    await expect(page.locator('.auto-refresh-note')).toContainText('hidden');

    // Visible again: it resumes.
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await page.clock.fastForward('00:31');
    await expect.poll(pageCalls).toBe(3);
  });
});

test('a refresh highlights the rows that changed since the previous load', async ({ dashboard, mock, page }) => {
  const { requests } = await mock.dataset();
  await dashboard.open();
  await dashboard.connect();
  await dashboard.expectRowIds(requests.slice(0, 50).map((r) => r.id));
  await expect(page.locator('tr.fresh')).toHaveCount(0);
  // Someone else cancels a pending request on the page.
  const target = requests.slice(0, 50).find((r) => r.status === 'pending');
  const del = await fetch(`${mock.url}/v1/api/requests/${target.id}`, {
    method: 'DELETE', headers: { Authorization: `Bearer ${KEY}` },
  });
  expect(del.status).toBe(200);
  await page.getByRole('button', { name: 'Refresh' }).click();
  const row = page.locator(`tr[data-id="${target.id}"]`);
  await expect(row.locator('.c-status')).toHaveText('Cancelled');
  await expect(row).toHaveClass(/fresh/);
  await expect(page.locator('tr.fresh')).toHaveCount(1);
});

test('keyboard: / focuses the filters, j/k move through rows, ? lists the shortcuts', async ({ dashboard, page }) => {
  await dashboard.open();
  await expect(dashboard.rows).toHaveCount(50);
  await page.locator('h1').click();
  await page.keyboard.press('/');
  await expect(page.locator('#f-status')).toBeFocused();
  await page.locator('h1').click();
  await page.keyboard.press('j');
  await expect(dashboard.rows.nth(0)).toBeFocused();
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await expect(dashboard.rows.nth(2)).toBeFocused();
  await page.keyboard.press('k');
  await expect(dashboard.rows.nth(1)).toBeFocused();
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await expect(help).toContainText('Next row');
  await expect(help.locator('dt').nth(1)).toHaveText('j or ↓');
  // Focus moves into the help, and back to the row when it closes.
  await expect(help.getByRole('button', { name: 'Close' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
  await expect(dashboard.rows.nth(1)).toBeFocused();

  // Esc in the Loop ID box is the box's, even with a request's detail open.
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog')).toBeVisible();
  // Enter on the row whose detail is open takes focus back into the panel.
  await dashboard.rows.nth(1).focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('#detail-title')).toBeFocused();
  const loop = page.getByLabel('Loop ID');
  await loop.fill('abc');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toBeVisible();
  await loop.blur();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
});

test('keyboard: the table is one tab stop; the arrow keys move between rows', async ({ dashboard, page }) => {
  await dashboard.open();
  await expect(dashboard.rows).toHaveCount(50);
  await expect(page.locator('table.requests tbody tr[tabindex="0"]')).toHaveCount(1);
  await expect(dashboard.rows.first()).toHaveAttribute('tabindex', '0');
  // From the last column header, Tab enters the table at its top row.
  await page.locator('table.requests thead th').last().locator('button').focus();
  await page.keyboard.press('Tab');
  await expect(dashboard.rows.first()).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await expect(dashboard.rows.nth(1)).toBeFocused();
  // One Tab leaves the table; Shift+Tab comes back to the row focused last.
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => !!document.activeElement?.closest('table.requests tbody'))).toBe(false);
  await page.keyboard.press('Shift+Tab');
  await expect(dashboard.rows.nth(1)).toBeFocused();
  await expect(page.locator('table.requests tbody tr[tabindex="0"]')).toHaveCount(1);
  // A long text's expand button is no tab stop of its own (the Tab above left the table past
  // them): → and ← on its row expand and fold the text.
  const expands = page.locator('table.requests tbody button.expand');
  expect(await expands.count()).toBeGreaterThan(0);
  await expect(expands.and(page.locator(':not([tabindex="-1"])'))).toHaveCount(0);
  const long = dashboard.rows.filter({ has: page.locator('button.expand') }).first();
  await long.focus();
  await page.keyboard.press('ArrowRight');
  await expect(long.locator('button.expand')).toHaveAttribute('aria-expanded', 'true');
  await expect(long.locator('.c-text')).toHaveClass(/expanded/);
  await page.keyboard.press('ArrowLeft');
  await expect(long.locator('button.expand')).toHaveAttribute('aria-expanded', 'false');
  await expect(long).toBeFocused();
});

test.describe('auto-refresh while requests are answered', () => {
  // After the first load's four calls, the mock answers the three newest pending requests.
  test.use({ mockFlags: ['--churn-after', '4', '--churn-count', '3'], pageClock: 'playwright' });

  test('the card of the status on screen follows the reloaded page, without a call of its own', async ({ dashboard, mock, page }) => {
    const { requests } = await mock.dataset();
    const pending = requests.filter((r) => r.status === 'pending').length;
    await dashboard.open('?status=pending');
    await dashboard.connect();
    await dashboard.expectTotals();
    const card = page.locator('.status-card[data-status="pending"] .card-count');
    await expect(card).toHaveText(String(pending));
    await page.getByLabel('Auto-refresh').selectOption('30');
    await mock.resetStats();
    // Every text the "updated" label shows from here on (an answer younger than the clock's
    // last tick once read "updated in a moment").
    await page.evaluate(() => {
      const seen: string[] = ((window as any).__updatedTexts = []);
      const el = document.querySelector('.updated')!;
      new MutationObserver(() => seen.push(el.textContent ?? '')).observe(el, { childList: true, subtree: true, characterData: true });
    });
    await page.clock.fastForward('00:31');
    await expect(dashboard.range).toContainText(`of ${pending - 3}`);
    await expect(card).toHaveText(String(pending - 3));
    await expect(page.locator('.updated')).toContainText('updated just now');
    const texts: string[] = await page.evaluate(() => (window as any).__updatedTexts);
    expect(texts.filter((t) => t.includes('in a moment'))).toEqual([]);
    const log = (await mock.stats()).log.map((c) => c.uri);
    expect(log).toEqual(['/v1/api/requests?status=pending']);
  });
});

test.describe('preferences', () => {
  // A zone with no daylight saving time, so the label is the same on any date; Playwright's
  // clock, to move time on (installed at the test's clock, it runs by itself meanwhile).
  test.use({ timezoneId: 'Asia/Kolkata', pageClock: 'playwright' });

  test('theme and time-zone preferences are applied and remembered', async ({ dashboard, page }) => {
    await dashboard.open();
    const theme = page.getByRole('button', { name: /^Theme:/ });
    await expect(theme).toHaveText('Theme: system');
    await theme.click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    await theme.click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    const times = page.getByRole('button', { name: /^Times:/ });
    await expect(times).toHaveText('Times: local (UTC+05:30)');
    await expect(times).toHaveAttribute('aria-pressed', 'false');
    // The Overview's days follow the same choice.
    const days = page.locator('.overview').getByText(/^Days in /);
    await expect(days).toContainText('Days in UTC+05:30;');
    await times.click();
    await expect(times).toHaveText('Times: UTC');
    await expect(times).toHaveAttribute('aria-pressed', 'true');
    await expect(days).toContainText('Days in UTC;');
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(page.getByRole('button', { name: /^Times:/ })).toHaveText('Times: UTC');
    await page.getByRole('button', { name: /^Times:/ }).click();
    await expect(page.getByRole('button', { name: /^Times:/ })).toHaveText('Times: local (UTC+05:30)');
  });

  test('the table\'s times follow the Times toggle and the clock: cells, titles, ages, countdowns', async ({ dashboard, mock, page }) => {
    const { requests } = await mock.dataset();
    await dashboard.open();
    await dashboard.connect();
    await expect(dashboard.rows).toHaveCount(50);
    const shown = requests.slice(0, 50);
    const done = shown.find((r) => r.status !== 'pending' && r.timeout_at && r.created_at);
    // The page's clock (the test's: it started at the mock's --now and runs on).
    const now = await page.evaluate(() => Date.now());
    const pending = shown.find((r) => r.status === 'pending' && Date.parse(r.timeout_at) > now + 3 * 3600_000);
    expect(done && pending, 'a finished and a pending request with hours left on the first page').toBeTruthy();
    const at = (iso: string, minutes: number) =>
      new Date(Date.parse(iso) + minutes * 60_000).toISOString().slice(0, 16).replace('T', ' ');
    const cell = (r: any, c: string) => page.locator(`table.requests tr[data-id="${r.id}"] ${c}`);
    await expect(cell(done, '.c-timeout')).toHaveText(at(done.timeout_at, 330));
    await expect(cell(done, '.c-timeout')).toHaveAttribute('title', `${at(done.timeout_at, 330)} UTC+05:30`);
    await expect(cell(done, '.c-created time')).toHaveAttribute('title', `${at(done.created_at, 330)} UTC+05:30`);
    await expect(cell(pending, '.c-timeout')).toHaveText(/ left$/);
    await expect(cell(pending, '.c-timeout')).toHaveAttribute('title', `${at(pending.timeout_at, 330)} UTC+05:30`);
    await page.getByRole('button', { name: /^Times:/ }).click();
    await expect(cell(done, '.c-timeout')).toHaveText(at(done.timeout_at, 0));
    await expect(cell(done, '.c-created time')).toHaveAttribute('title', `${at(done.created_at, 0)} UTC`);
    await expect(cell(pending, '.c-timeout')).toHaveAttribute('title', `${at(pending.timeout_at, 0)} UTC`);
    // Ages and countdowns follow the clock: three days on, both say so.
    const age = await cell(pending, '.c-created time').textContent();
    const left = await cell(pending, '.c-timeout').textContent();
    await page.clock.fastForward(3 * 24 * 3600_000);
    await expect(cell(pending, '.c-created time')).not.toHaveText(age!);
    await expect(cell(pending, '.c-created time')).toHaveText(/^\d+ (h|d|mo) ago$/);
    await expect(cell(pending, '.c-timeout')).not.toHaveText(left!);
    await expect(cell(pending, '.c-timeout')).toHaveText(/ left$|^due$/);
    await expect(cell(done, '.c-timeout')).toHaveText(at(done.timeout_at, 0));
  });
});

test.describe('times in a zone with daylight saving', () => {
  // Data on both sides of New York's change of 1 November 2026: this test keeps its own date,
  // whatever E2E_NOW says (the mock's --now, and so the page's clock).
  test.use({ timezoneId: 'America/New_York', mockFlags: ['--records', '600', '--now', '2026-11-28T12:00:00Z'] });

  test('each time is shown with the offset of its own instant, not today\'s', async ({ dashboard, mock, page }) => {
    const { requests } = await mock.dataset();
    // New York: UTC−04:00 until the clocks went back on 1 November 2026 at 06:00 UTC.
    const change = Date.parse('2026-11-01T06:00:00Z');
    const offset = (iso: string) => (Date.parse(iso) < change ? -240 : -300);
    const label = (iso: string) => (offset(iso) === -240 ? 'UTC−04:00' : 'UTC−05:00');
    const local = (iso: string) =>
      new Date(Date.parse(iso) + offset(iso) * 60_000).toISOString().slice(0, 16).replace('T', ' ');
    const summer = requests.find((r) => r.created_at && Date.parse(r.created_at) < change);
    const winter = requests.find((r) => r.created_at && Date.parse(r.created_at) >= change);
    expect(summer && winter, 'requests from both sides of the change').toBeTruthy();

    await dashboard.open('?sort=created_at_asc&limit=100');
    await dashboard.connect(KEY, mock.url, true);
    await expect(dashboard.rows).toHaveCount(100);
    const oldest = [...requests].filter((r) => r.created_at).sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at))[0];
    expect(Date.parse(oldest.created_at)).toBeLessThan(change);
    await expect(page.locator(`table.requests tr[data-id="${oldest.id}"] .c-created time`))
      .toHaveAttribute('title', `${local(oldest.created_at)} UTC−04:00`);
    // The detail panel, on both sides of the change.
    for (const r of [summer, winter]) {
      await dashboard.open(`?request=${r.id}`);
      await expect(page.locator('.detail')).toContainText(`${local(r.created_at)} ${label(r.created_at)}`);
    }
    // The toggle names the zone as it is now.
    await expect(page.getByRole('button', { name: /^Times:/ })).toHaveText(/^Times: local \(UTC−0[45]:00\)$/);
  });
});

test('responsive: at phone width the table scrolls inside its box and the page does not', async ({ dashboard, page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await dashboard.open();
  await expect(dashboard.rows).toHaveCount(50);
  const pageOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(pageOverflow).toBeLessThanOrEqual(1);
  const wrap = page.locator('.results .table-wrap');
  expect(await wrap.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
});

test('from laptop widths up (1280, 1366, 1920 px) all ten columns fit without a sideways scroll', async ({ dashboard, page }) => {
  for (const width of [1280, 1366, 1920]) {
    await page.setViewportSize({ width, height: 768 });
    await dashboard.open();
    await expect(dashboard.rows).toHaveCount(50);
    const wrap = page.locator('.results .table-wrap');
    const overflow = await wrap.evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(overflow, `sideways scroll at ${width} px`).toBeLessThanOrEqual(0);
    // Every column header is in view, the last one included.
    const last = await page.locator('table.requests thead th').last().evaluate((th) => th.getBoundingClientRect().right);
    expect(last, `last column's right edge at ${width} px`).toBeLessThanOrEqual(width);
  }
});

test('a very long loop id in the URL wraps instead of widening the page', async ({ dashboard, page }) => {
  const long = 'loop-' + 'x'.repeat(500);
  for (const width of [390, 1366]) {
    await page.setViewportSize({ width, height: 800 });
    await dashboard.open(`?loop_id=${long}`);
    await expect(page.locator('.cards-head')).toContainText(long);
    await expect(page.locator('.overview-head')).toBeVisible();
    const pageOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(pageOverflow, `at ${width} px`).toBeLessThanOrEqual(1);
  }
});

async function seriousViolations(page: import('@playwright/test').Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

test('accessibility: no serious or critical axe-core violations on the main views', async ({ dashboard, page }) => {
  await dashboard.open();
  await expect(dashboard.rows).toHaveCount(50);
  expect(await seriousViolations(page)).toEqual([]);

  await dashboard.connect();
  await expect(dashboard.range).toHaveText(/^1–50 of/);
  expect(await seriousViolations(page)).toEqual([]);
  // A hovered row's darker background under each status badge (pending and completed once
  // fell below 4.5:1 there).
  for (const status of ['pending', 'completed', 'timeout', 'cancelled']) {
    const row = dashboard.rows.filter({ has: page.locator(`.badge[data-status="${status}"]`) }).first();
    if (!(await row.count())) continue;
    await row.hover();
    expect(await seriousViolations(page), `hovered ${status} row`).toEqual([]);
  }
  await page.mouse.move(0, 0);

  await page.getByRole('button', { name: /^Theme:/ }).click();
  await page.getByRole('button', { name: /^Theme:/ }).click(); // dark
  expect(await seriousViolations(page)).toEqual([]);

  await dashboard.rows.first().click();
  await expect(page.getByRole('dialog')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});
