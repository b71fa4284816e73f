// Page object: the dashboard as a user sees it, through labels and roles (the UI contract).
import { expect, Locator, Page } from '@playwright/test';
import { MockApi, KEY } from './mock';

export class Dashboard {
  constructor(readonly page: Page, readonly mock: MockApi) {}

  async open(search = '') {
    await this.page.goto(`${this.mock.url}/${search}`);
    await expect(this.page.locator('h1')).toHaveText('HITL Requests');
  }

  /** Connects to the mock (same origin) with `key`. */
  async connect(key = KEY, base = this.mock.url, remember = false) {
    await this.page.getByLabel('API key').fill(key);
    await this.page.getByLabel('API base URL').fill(base);
    if (remember) await this.page.getByLabel('Remember on this device').check();
    await this.page.getByRole('button', { name: 'Connect' }).click();
    // From here on nothing of the demo source is on screen.
    await expect(this.page.locator('.source-badge')).toHaveText('Live API');
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
