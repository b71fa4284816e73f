// Page object: the dashboard as a user sees it, through labels and roles (the UI contract).
import { expect, Locator, Page, Request } from '@playwright/test';
import { MockApi, KEY } from './mock';

let markers = 0;

export class Dashboard {
  /** `requests`: every request the page has sent, in the order it sent them. */
  constructor(readonly page: Page, readonly mock: MockApi, private readonly requests: Request[] = []) {}

  /** Waits until every call the page had started by now is over (answered, refused or failed),
   *  so that a count read afterwards includes them all. Playwright reports a page's requests in
   *  the order the page sends them: once a marker request sent now is reported, every earlier
   *  call is in `requests`. This replaces "wait a while, then check nothing more happened":
   *  anything the page would have asked for before this point is counted, however slow. */
  async settled(): Promise<void> {
    const marker = `/__mock/stats?settled=${++markers}`;
    await this.page.evaluate((u) => fetch(u).then(() => undefined), marker);
    const at = this.requests.findIndex((r) => r.url().endsWith(marker));
    expect(at, 'the marker request was reported').toBeGreaterThanOrEqual(0);
    const earlier = this.requests.slice(0, at).filter((r) => new URL(r.url()).pathname.startsWith('/v1/'));
    await Promise.all(earlier.map((r) => r.response().catch(() => null)));
  }

  async open(search = '') {
    await this.page.goto(`${this.mock.url}/${search}`);
    await expect(this.page.locator('h1')).toHaveText('HITL Requests');
  }

  /** Connects to the mock (same origin) with `key`. */
  async connect(key = KEY, base = this.mock.url, remember = false) {
    await this.openConnection();
    await this.page.getByLabel('API key').fill(key);
    await this.page.getByLabel('API base URL').fill(base);
    if (remember) await this.page.getByLabel('Remember on this device').check();
    await this.page.getByRole('button', { name: 'Connect' }).click();
    // From here on nothing of the demo source is on screen (the live API, or its copy on
    // this device when the key's history is kept).
    await expect(this.page.locator('.source-badge')).toHaveText(/^(Live API|History on this device)/);
  }

  /** Opens the Connection form when it is folded into its one line (a working connection). */
  async openConnection() {
    const change = this.page.locator('.settings-line').getByRole('button', { name: 'Change' });
    if (await change.isVisible()) await change.click();
  }

  /** As a returning user who ticked "Remember": the key and base URL are in localStorage
   *  before the app starts, so it starts live (a cold start). Call before `open`. */
  async remembered(key = KEY, base = this.mock.url) {
    await this.page.addInitScript(({ key, base }) => {
      localStorage.setItem('hitl.api_key', key);
      localStorage.setItem('hitl.base_url', base);
    }, { key, base });
  }

  get rows(): Locator { return this.page.locator('table.requests tbody tr'); }
  get banner(): Locator { return this.page.getByRole('alert'); }
  get range(): Locator { return this.page.locator('.pager-range'); }
  select(label: 'Status' | 'Priority' | 'Sort' | 'Page size'): Locator {
    return this.page.getByLabel(label, { exact: true });
  }

  async rowIds(): Promise<string[]> {
    return this.rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id') ?? ''));
  }

  /** Waits until every status card shows a number (the totals are in). */
  async expectTotals() {
    for (const count of await this.page.locator('.card-count').all()) await expect(count).toHaveText(/^\d[\d,]*$/);
  }

  /** Waits until the table shows exactly `ids` in order. */
  async expectRowIds(ids: string[]) {
    await expect.poll(() => this.rowIds()).toEqual(ids);
  }
}
