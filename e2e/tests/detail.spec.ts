// Issue 3 (request detail): the detail panel, deep-linked as ?request=<id>, its one cached call,
// Cancel with confirmation, and untrusted text rendered inertly.
import { test, expect, KEY, Page } from '../support/fixtures';
import { MockApi } from '../support/mock';
import { TEST_NOW } from '../support/clock';
import type { Dashboard } from '../support/dashboard';
import AxeBuilder from '@axe-core/playwright';

/** The single-request answer, as the API gives it (one extra call in the mock's log). */
async function fetchDetail(mock: MockApi, id: string): Promise<any> {
  const res = await fetch(`${mock.url}/v1/api/requests/${id}`, {
    headers: { Authorization: `Bearer ${KEY}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()).data.request;
}

/** How many times the mock served `METHOD /v1/api/requests/<id>`. */
async function callsFor(mock: MockApi, id: string, method = 'GET'): Promise<number> {
  const { log } = await mock.stats();
  return log.filter((c) => c.method === method && c.uri === `/v1/api/requests/${id}`).length;
}

function row(page: Page, id: string) {
  return page.locator(`table.requests tbody tr[data-id="${id}"]`);
}

function panel(page: Page) {
  return page.getByRole('dialog');
}

/** Connects, waits for the first page and opens its first pending request; returns its id. */
async function openFirstPending(dashboard: Dashboard, mock: MockApi, page: Page): Promise<string> {
  const { requests } = await mock.dataset();
  const pending = requests.slice(0, 50).find((r) => r.status === 'pending');
  expect(pending, 'the first page has a pending request').toBeTruthy();
  await dashboard.open();
  await dashboard.connect();
  await expect(dashboard.rows).toHaveCount(50);
  await row(page, pending.id).locator('.c-created').click();
  return pending.id;
}

test('a row opens the detail, deep-linked; reload restores it; re-opening makes no second call', async ({ dashboard, mock, page }) => {
  const { requests } = await mock.dataset();
  await dashboard.open();
  await dashboard.connect(KEY, mock.url, true);
  await dashboard.expectRowIds(requests.slice(0, 50).map((r) => r.id));
  const id = requests[3].id;

  await row(page, id).locator('.c-created').click();
  await expect(panel(page)).toBeVisible();
  await expect(panel(page)).toHaveAccessibleName(`Request ${id}`);
  await expect(page.locator('#detail-title')).toBeFocused();
  expect(new URL(page.url()).searchParams.get('request')).toBe(id);
  // The row's fields at once; the detail fields after the one GET.
  await expect(panel(page).locator('.badge[data-status]')).toHaveText(new RegExp(requests[3].status, 'i'));
  await expect(panel(page).locator('table.detail-broadcast tbody tr')).not.toHaveCount(0);
  await expect(panel(page).getByText('Platform', { exact: true })).toBeVisible();
  expect(await callsFor(mock, id)).toBe(1);

  // Close returns focus to the row; Enter on the focused row opens it again, from the cache.
  await panel(page).getByRole('button', { name: 'Close' }).click();
  await expect(panel(page)).toHaveCount(0);
  expect(new URL(page.url()).searchParams.get('request')).toBeNull();
  await expect(row(page, id)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(panel(page)).toBeVisible();
  await expect(panel(page).locator('table.detail-broadcast tbody tr')).not.toHaveCount(0);
  expect(await callsFor(mock, id)).toBe(1);

  // The header stays in reach while the panel is open (it opens below it).
  await page.getByRole('button', { name: /^Times:/ }).click();
  await expect(page.getByRole('button', { name: /^Times:/ })).toHaveText('Times: UTC');
  await expect(panel(page)).toBeVisible();
  await page.locator('#detail-title').focus();

  // Esc closes.
  await page.keyboard.press('Escape');
  await expect(panel(page)).toHaveCount(0);
  await expect(row(page, id)).toBeFocused();

  // Opening another row pushes a history entry; Back returns to the first one.
  const other = requests[5].id;
  await row(page, id).locator('.c-created').click();
  await row(page, other).locator('.c-created').click();
  await expect(panel(page)).toHaveAccessibleName(`Request ${other}`);
  await page.goBack();
  await expect(panel(page)).toHaveAccessibleName(`Request ${id}`);
  expect(await callsFor(mock, id)).toBe(1);

  // A reload (remembered key) restores the panel from the URL.
  await page.reload();
  await expect(page.locator('.source-badge')).toHaveText('Live API');
  await expect(panel(page)).toHaveAccessibleName(`Request ${id}`);
  await expect(panel(page).locator('table.detail-broadcast tbody tr')).not.toHaveCount(0);

  // What the panel shows is what the API sent.
  const detail = await fetchDetail(mock, id);
  const emails = await panel(page).locator('.b-email').allTextContents();
  expect(emails).toEqual(detail.broadcasted_to.map((b: any) => b.email));
  const sent = await panel(page).locator('.b-sent').allTextContents();
  expect(sent).toEqual(detail.broadcasted_to.map((b: any) => (b.notification_sent ? 'yes' : 'no')));
  await expect(panel(page).locator('dd.v-json').nth(1)).toContainText(`"reference": ${detail.context.reference}`);
  // Errors in the panel never add a second alert; there is none here at all.
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test.describe('failed notifications', () => {
  // The test itself reads details to find a failed notification: room for those calls.
  test.use({ mockFlags: ['--quota', '1000'] });

  test('broadcast results show who was not notified and why', async ({ dashboard, mock, page }) => {
    const { requests } = await mock.dataset();
    let target: any = null;
    for (const r of requests.slice(0, 200)) {
      const d = await fetchDetail(mock, r.id);
      if (d.broadcasted_to.some((b: any) => !b.notification_sent)) { target = d; break; }
    }
    expect(target, 'the dataset has a failed notification').toBeTruthy();
    await dashboard.open();
    await dashboard.connect(KEY, mock.url, true);
    await expect(dashboard.rows).toHaveCount(50);
    // Deep link: the request need not be on the page shown.
    await dashboard.open(`?request=${target.id}`);
    await expect(panel(page)).toHaveAccessibleName(`Request ${target.id}`);
    const failed = target.broadcasted_to.find((b: any) => !b.notification_sent);
    const line = panel(page).locator('table.detail-broadcast tbody tr', { hasText: failed.email });
    await expect(line.locator('.b-sent')).toHaveText('no');
    await expect(line.locator('.b-error')).toHaveText(failed.notification_error);
    await expect(panel(page).locator('table.detail-broadcast tbody tr')).toHaveCount(target.broadcasted_to.length);
  });
});

test('cancelling a pending request after confirming turns its row Cancelled', async ({ dashboard, mock, page }) => {
  const id = await openFirstPending(dashboard, mock, page);

  const cancel = panel(page).getByRole('button', { name: 'Cancel request' });
  await expect(cancel).toHaveAttribute('title', /1 API call/);
  // "Keep it" backs out without a call.
  await cancel.click();
  await expect(panel(page)).toContainText(`Cancel request ${id}`);
  await expect(panel(page)).toContainText('This cannot be undone.');
  await expect(panel(page).getByRole('button', { name: 'Keep it' })).toBeFocused();
  await panel(page).getByRole('button', { name: 'Keep it' }).click();
  await expect(panel(page).getByRole('button', { name: 'Yes, cancel it' })).toHaveCount(0);
  expect(await callsFor(mock, id, 'DELETE')).toBe(0);

  const before = (await mock.stats()).log.length;
  await cancel.click();
  await panel(page).getByRole('button', { name: 'Yes, cancel it' }).click();
  await expect(panel(page).getByRole('status').filter({ hasText: 'Request cancelled.' })).toBeVisible();
  // The server's own message is shown too.
  await expect(panel(page).getByRole('status')).toContainText('The API said: “Request cancelled successfully”');
  await expect(row(page, id).locator('.c-status .badge')).toHaveText('Cancelled');
  await expect(panel(page).locator('.badge[data-status]')).toHaveText('Cancelled');
  await expect(panel(page).getByRole('button', { name: 'Cancel request' })).toHaveCount(0);
  // Exactly one call: the DELETE. The row changed without reloading the list.
  const after = (await mock.stats()).log.slice(before);
  expect(after.map((c) => `${c.method} ${c.uri}`)).toEqual([`DELETE /v1/api/requests/${id}`]);
  const now = await mock.dataset();
  expect(now.requests.find((r) => r.id === id).status).toBe('cancelled');
});

test('a cancel moves the request between the status cards and out of Urgent pending, with no call but the DELETE', async ({ dashboard, mock, page }) => {
  const { requests } = await mock.dataset();
  const byAge = (a: any, b: any) => Date.parse(a.created_at) - Date.parse(b.created_at);
  // The oldest urgent pending request: first in the panel, and not on the table's first page.
  const urgent = requests.filter((r) => r.status === 'pending' && ['high', 'critical'].includes(r.priority)).sort(byAge);
  expect(urgent.length, 'the dataset has urgent pending requests').toBeGreaterThan(0);
  const target = urgent[0];
  const count = (s: string) => page.locator(`.status-card[data-status="${s}"] .card-count`);
  const total = (s: string) => requests.filter((r) => r.status === s).length;
  await dashboard.open();
  await dashboard.connect(KEY, mock.url, true); // remembered: the deep link below starts live
  await expect(count('pending')).toHaveText(String(total('pending')));
  await expect(count('cancelled')).toHaveText(String(total('cancelled')));
  await page.getByRole('button', { name: /Urgent pending and recent completions/ }).click();
  const urgentList = page.locator('.mini-list').filter({ hasText: 'Urgent pending' });
  await expect(urgentList.locator('li').first()).toContainText(target.request_text.slice(0, 30));
  const listed = await urgentList.locator('li').count();

  await dashboard.open(`?request=${target.id}`);
  // A new page load: the cards and panels start again (the panels closed).
  await expect(page.locator('.source-badge')).toHaveText('Live API');
  await expect(count('pending')).toHaveText(String(total('pending')));
  await page.getByRole('button', { name: /Urgent pending and recent completions/ }).click();
  await expect(urgentList.locator('li')).toHaveCount(listed);
  await expect(panel(page).getByRole('button', { name: 'Cancel request' })).toBeVisible();
  const before = (await mock.stats()).log.length;
  await panel(page).getByRole('button', { name: 'Cancel request' }).click();
  await panel(page).getByRole('button', { name: 'Yes, cancel it' }).click();
  await expect(panel(page).getByRole('status').filter({ hasText: 'Request cancelled.' })).toBeVisible();
  await expect(count('pending')).toHaveText(String(total('pending') - 1));
  await expect(count('cancelled')).toHaveText(String(total('cancelled') + 1));
  await expect(urgentList.locator('li')).toHaveCount(listed - 1);
  await expect(urgentList).not.toContainText(target.request_text.slice(0, 30));
  const after = (await mock.stats()).log.slice(before);
  expect(after.map((c) => `${c.method} ${c.uri}`)).toEqual([`DELETE /v1/api/requests/${target.id}`]);

  // Asked again later (Refresh), the API's own totals say the same: the change is not counted twice.
  await page.keyboard.press('Escape');
  await expect(panel(page)).toHaveCount(0);
  await page.getByRole('button', { name: 'Refresh', exact: true }).click();
  await expect
    .poll(async () => (await mock.stats()).log.slice(before).filter((c) => c.uri === '/v1/api/requests?status=pending&sort=created_at_asc&limit=100').length)
    .toBe(1);
  await expect(count('pending')).toHaveText(String(total('pending') - 1));
  await expect(count('cancelled')).toHaveText(String(total('cancelled') + 1));
});

test('a request that does not exist says so inside the panel', async ({ dashboard, mock, page }) => {
  await dashboard.open();
  await dashboard.connect(KEY, mock.url, true);
  await expect(dashboard.rows).toHaveCount(50);
  await dashboard.open('?request=ffffffffffffffffffffffff');
  await expect(panel(page)).toBeVisible();
  const status = panel(page).getByRole('alert').filter({ hasText: 'Request not found' });
  await expect(status).toBeVisible();
  await expect(status).toContainText('HTTP 404');
  // Said once: the headline, what failed, the API's detail, the advice; no line repeated.
  const lines = await status.locator('p').allTextContents();
  expect(new Set(lines).size).toBe(lines.length);
  expect(lines.filter((l) => l.includes('Request not found'))).toHaveLength(1);
  // The panel's notice is the one alert: no banner says it again.
  await expect(page.getByRole('alert')).toHaveCount(1);
  // 4xx is never retried.
  expect(await callsFor(mock, 'ffffffffffffffffffffffff')).toBe(1);
});

test('an id a URL path cannot carry (. or ..) is not found without a call to another endpoint', async ({ dashboard, mock, page }) => {
  await dashboard.open();
  await dashboard.connect(KEY, mock.url, true);
  await expect(dashboard.rows).toHaveCount(50);
  for (const id of ['..', '.']) {
    await dashboard.open(`?request=${id}`);
    const status = panel(page).getByRole('alert').filter({ hasText: 'Request not found' });
    await expect(status).toBeVisible();
  }
  await dashboard.settled();
  // The browser would have resolved `/requests/..` to `/v1/api/` and `/requests/.` to the list.
  const uris = (await mock.stats()).log.map((c) => c.uri);
  expect(uris.filter((u) => !u.startsWith('/v1/api/requests?') && u !== '/v1/api/requests')).toEqual([]);
});

test('on demo data an unknown id says the demo has no such request', async ({ dashboard, mock, page }) => {
  await dashboard.open('?request=doesnotexist');
  const status = panel(page).getByRole('alert').filter({ hasText: 'Request not found' });
  await expect(status).toContainText('The demo data has no request with this id.');
  await expect(status).not.toContainText('API base URL');
  expect(await mock.calls()).toBe(0);
});

test('on demo data the panel works without any call', async ({ dashboard, mock, page }) => {
  await dashboard.open();
  await expect(dashboard.rows).toHaveCount(50);
  await dashboard.rows.nth(1).locator('.c-created').click();
  await expect(panel(page).locator('table.detail-broadcast tbody tr')).not.toHaveCount(0);
  await expect(panel(page).getByText('Platform', { exact: true })).toBeVisible();
  expect(await mock.calls()).toBe(0);
  // The open panel, confirmation included, has no automatically detectable a11y violations.
  const pending = page.locator('table.requests tbody tr[data-status="pending"]').first();
  await pending.locator('.c-created').click();
  await panel(page).getByRole('button', { name: 'Cancel request' }).click();
  await expect(panel(page).getByRole('button', { name: 'Keep it' })).toBeFocused();
  const scan = await new AxeBuilder({ page }).include('.detail').analyze();
  expect(scan.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
  // Esc steps back out of the confirmation first, then closes the panel.
  await page.keyboard.press('Escape');
  await expect(panel(page).getByRole('button', { name: 'Keep it' })).toHaveCount(0);
  await expect(panel(page).getByRole('button', { name: 'Cancel request' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(panel(page)).toHaveCount(0);
  await expect(pending).toBeFocused();
});

test.describe('hostile text', () => {
  test.use({ mockFlags: ['--hostile-every', '1'] });

  test('request text and answers render as text; nothing runs; javascript: links are not links', async ({ dashboard, mock, page }) => {
    const { requests } = await mock.dataset();
    await dashboard.open();
    await dashboard.connect();
    await expect(dashboard.rows).toHaveCount(50);
    await expect(page.locator('table.requests tbody')).toContainText('<script>window.__xss=2</script> urgent');
    await expect(page.locator('table.requests tbody')).toContainText('<img src=x onerror="window.__xss=1"> please review');

    // Every request's text is one of the four hostile strings (index i % 4).
    for (const i of [0, 1, 2, 3]) {
      const r = requests[i];
      await row(page, r.id).locator('.c-created').click();
      await expect(panel(page)).toHaveAccessibleName(`Request ${r.id}`);
      const text = panel(page).locator('.detail-text');
      await expect(text).toBeVisible();
      expect(await text.locator('script, img, iframe, object, embed, b').count()).toBe(0);
      if (i === 0) await expect(text).toHaveText('<img src=x onerror="window.__xss=1"> please review');
      if (i === 1) await expect(text).toHaveText('<script>window.__xss=2</script> urgent');
      if (i === 2) {
        // The javascript: link stays literal text; the bold around it still renders.
        await expect(text).toHaveText('[click me](javascript:window.__xss=3) bold <b>raw</b>');
        expect(await text.locator('a').count()).toBe(0);
        await expect(text.locator('strong')).toHaveText('bold');
      }
      if (r.status === 'completed') {
        await expect(panel(page).locator('.detail-response')).toHaveText(r.response_data);
      }
      // Wait for the detail answer so any injected markup would have had its chance.
      await expect(panel(page).locator('table.detail-broadcast')).toBeVisible();
    }
    expect(await panel(page).locator('script').count()).toBe(0);
    expect(await page.locator('img[src="x"], [onerror]').count()).toBe(0);
    expect(await page.locator('a[href^="javascript:" i]').count()).toBe(0);
    expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();
  });
});

test.describe('a cancel answered without a body', () => {
  // The API does not document the cancel's body: a 204 is a success like any other 2xx.
  test.use({ mockFlags: ['--cancel-reply', 'no-content'] });

  test('is reported as done, and the row and cards follow', async ({ dashboard, mock, page }) => {
    const { requests } = await mock.dataset();
    const id = requests.slice(0, 50).find((r) => r.status === 'pending').id;
    const pendingCard = page.locator('.status-card[data-status="pending"] .card-count');
    const pendingTotal = requests.filter((r) => r.status === 'pending').length;
    await dashboard.open();
    await dashboard.connect();
    await expect(dashboard.rows).toHaveCount(50);
    await expect(pendingCard).toHaveText(String(pendingTotal));
    await row(page, id).locator('.c-created').click();
    const before = (await mock.stats()).log.length;
    await panel(page).getByRole('button', { name: 'Cancel request' }).click();
    await panel(page).getByRole('button', { name: 'Yes, cancel it' }).click();
    await expect(panel(page).getByRole('status').filter({ hasText: 'Request cancelled.' })).toBeVisible();
    await expect(panel(page)).not.toContainText('not cancelled');
    await expect(panel(page)).not.toContainText('The API said');
    await expect(row(page, id).locator('.c-status .badge')).toHaveText('Cancelled');
    await expect(pendingCard).toHaveText(String(pendingTotal - 1));
    const after = (await mock.stats()).log.slice(before);
    expect(after.map((c) => `${c.method} ${c.uri} ${c.status}`)).toEqual([`DELETE /v1/api/requests/${id} 204`]);
  });
});

test('Refresh with a detail open reloads it too: a request cancelled elsewhere shows as Cancelled', async ({ dashboard, mock, page }) => {
  const id = await openFirstPending(dashboard, mock, page);
  await expect(panel(page).locator('table.detail-broadcast tbody tr')).not.toHaveCount(0);
  await expect(panel(page).getByRole('button', { name: 'Cancel request' })).toBeVisible();
  expect(await callsFor(mock, id)).toBe(1);

  // Someone else cancels it.
  const res = await fetch(`${mock.url}/v1/api/requests/${id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${KEY}` } });
  expect(res.status).toBe(200);

  // The panel covers the results bar's right end: Refresh by keyboard.
  await page.getByRole('button', { name: 'Refresh', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(row(page, id).locator('.c-status .badge')).toHaveText('Cancelled');
  await expect(panel(page).locator('.badge[data-status]')).toHaveText('Cancelled');
  await expect(panel(page).getByRole('button', { name: 'Cancel request' })).toHaveCount(0);
  // The README's price: the page, the cards, and one more for the open detail.
  await expect.poll(() => callsFor(mock, id)).toBe(2);
});

test('a cancel refused because the request is no longer pending says so, and Refresh shows its status', async ({ dashboard, mock, page }) => {
  const id = await openFirstPending(dashboard, mock, page);
  await panel(page).getByRole('button', { name: 'Cancel request' }).click();
  // Someone else cancels it first.
  await fetch(`${mock.url}/v1/api/requests/${id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${KEY}` } });
  await panel(page).getByRole('button', { name: 'Yes, cancel it' }).click();
  const notice = panel(page).locator('.detail-error');
  await expect(notice).toContainText('The request was not cancelled');
  // An error interrupts a screen reader; the panel's other notices wait their turn.
  await expect(notice).toHaveAttribute('role', 'alert');
  await expect(notice).toContainText('(HTTP 400)');
  await expect(notice).toContainText('no longer pending');
  await expect(notice).not.toContainText('filters');
  await page.getByRole('button', { name: 'Refresh', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(panel(page).locator('.badge[data-status]')).toHaveText('Cancelled');
  await expect(panel(page).getByRole('button', { name: 'Cancel request' })).toHaveCount(0);
});

test.describe('a cancel whose answer is cut short', () => {
  const EVERY = 40;
  test.use({ mockFlags: ['--fail-every', String(EVERY), '--fail-kind', 'malformed'] });

  test('is not reported as a plain success; Refresh shows what the API has', async ({ dashboard, mock, page }) => {
    const id = await openFirstPending(dashboard, mock, page);
    await expect(panel(page).locator('table.detail-broadcast tbody tr')).not.toHaveCount(0);
    await panel(page).getByRole('button', { name: 'Cancel request' }).click();
    // Calls of our own until the DELETE is the one the mock answers with a cut-off 200.
    await mock.makeNextCallFail(EVERY);
    await panel(page).getByRole('button', { name: 'Yes, cancel it' }).click();
    const notice = panel(page).locator('.detail-done');
    await expect(notice).toContainText("Cancel accepted, but the API's answer could not be read.");
    await expect(notice).toContainText('Refresh shows its status');
    await expect(notice).not.toContainText('Request cancelled.');
    const { log } = await mock.stats();
    expect(log.at(-1)).toMatchObject({ method: 'DELETE', uri: `/v1/api/requests/${id}`, status: 200 });
    // This mock did not cancel it: Refresh shows the request as the API has it.
    await page.getByRole('button', { name: 'Refresh', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect(panel(page).locator('.badge[data-status]')).toHaveText('Pending');
    await expect(row(page, id).locator('.c-status .badge')).toHaveText('Pending');
  });
});

test.describe('a cancel held back by the quota', () => {
  // Six calls: the first load of a Pending view is five (the page, three cards, and the SLA
  // watch's list of the oldest pending requests, which the page's Pending card does not make).
  test.use({ mockFlags: ['--quota', '6', '--quota-window-secs', '8'] });

  test('is never sent, and when the quota is back it costs nothing and Cancel is offered again', async ({ dashboard, mock, page }) => {
    await dashboard.open('?status=pending');
    await dashboard.connect();
    await dashboard.expectTotals();
    const first = dashboard.rows.first();
    const id = (await first.getAttribute('data-id'))!;
    await first.locator('.c-created').click(); // the detail: the sixth and last call
    await expect.poll(() => callsFor(mock, id)).toBe(1);
    await panel(page).getByRole('button', { name: 'Cancel request' }).click();
    await panel(page).getByRole('button', { name: 'Yes, cancel it' }).click();
    await expect(panel(page)).toContainText('The request was not cancelled');
    expect(await callsFor(mock, id, 'DELETE')).toBe(0);
    const calls = await mock.calls();
    expect(calls).toBe(6);
    // The pause ends (8 s window): the refusal goes, the button stays, and nothing is asked
    // again, since nothing but the cancel was refused (and it was never sent).
    await expect(panel(page)).not.toContainText('The request was not cancelled', { timeout: 15_000 });
    await expect(panel(page).getByRole('button', { name: 'Cancel request' })).toBeEnabled();
    // Anything the end of the pause would ask again starts with it: count once that is over.
    await dashboard.settled();
    expect(await mock.calls()).toBe(calls);
  });
});

test.describe('a detail open while the source changes', () => {
  // The mock's requests carry the same ids as the demo's (generated at the page's clock),
  // created half a year earlier.
  const mockDay = new Date(Date.parse(TEST_NOW) - 180 * 86_400_000).toISOString().slice(0, 10);
  test.use({ mockFlags: ['--now', `${mockDay}T12:00:00Z`], pageNow: TEST_NOW });

  test('is loaded again from the new source (1 call), and from the demo again at no call', async ({ dashboard, mock, page }) => {
    const { requests } = await mock.dataset();
    await dashboard.open();
    await expect(dashboard.rows.first()).toBeVisible();
    const id = await dashboard.rows.first().getAttribute('data-id');
    const live = requests.find((r) => r.id === id);
    expect(live, 'the demo id exists on the mock').toBeTruthy();
    await dashboard.rows.first().locator('.c-created').click();
    const created = panel(page).locator('dt:text-is("Created") + dd');
    await expect(created).not.toContainText(mockDay);

    // The panel covers the Connection form on this screen; the keyboard reaches it.
    await page.getByLabel('API key').fill(KEY);
    await page.getByLabel('API base URL').fill(mock.url);
    await page.getByRole('button', { name: 'Connect' }).press('Enter');
    await expect(page.locator('.source-badge')).toHaveText('Live API');
    await expect(dashboard.rows).toHaveCount(50);
    await expect(created).toContainText(live.created_at.slice(0, 10));
    await expect(panel(page).locator('.badge[data-status]')).toHaveText(new RegExp(live.status, 'i'));
    await expect.poll(() => callsFor(mock, id!)).toBe(1);

    // And back to the demo: the demo's request again, at no call.
    await page.locator('.settings-line').getByRole('button', { name: 'Change' }).press('Enter');
    await page.getByRole('button', { name: 'Demo data' }).press('Enter');
    await expect(page.locator('.source-badge')).toHaveText('Demo data');
    await expect(created).not.toContainText(mockDay);
    expect(await callsFor(mock, id!)).toBe(1);
  });
});
