// Test fixtures: a fresh mock-api per test (flags via `test.use({ mockFlags: [...] })`), the
// test's one clock (the mock's `--now`, installed as every page's clock) and the dashboard page
// object. Every request the page makes is recorded so tests can assert that the
// API key never appears in a URL.
import { test as base, expect, Page, Request } from '@playwright/test';
import { MockApi, KEY } from './mock';
import { mockNow, shiftDate } from './clock';
import { Dashboard } from './dashboard';

type Fixtures = {
  mockFlags: string[];
  /** The page's clock at the start, when a test wants it apart from the mock's `--now`. */
  pageNow: string | undefined;
  /** `'playwright'`: the page's clock is Playwright's, for a test that moves time on
   *  (`page.clock.fastForward`); `'shifted'` (default): the browser's own timers, `Date` shifted. */
  pageClock: 'shifted' | 'playwright';
  /** The page's clock at the test's start, in ms (the mock's `--now` unless `pageNow` says
   *  otherwise). Pages run on from it. */
  clockStart: number;
  mock: MockApi;
  dashboard: Dashboard;
  requests: Request[];
  consoleMessages: string[];
};

export const test = base.extend<Fixtures>({
  mockFlags: [[], { option: true }],
  pageNow: [undefined, { option: true }],
  pageClock: ['shifted', { option: true }],
  // Every page's clock runs from the mock's `--now`, as the mock's own clock does. By default
  // only `Date` is shifted (by a constant) and the timers stay the browser's own: Playwright's
  // clock hands out timer ids from 10^12, which do not fit web-sys' 32-bit handles, so under it
  // the app's `clearTimeout` cancels nothing and debouncing breaks. A test that moves time on
  // asks for Playwright's clock instead (`pageClock: 'playwright'`), installed at that instant.
  clockStart: [async ({ context, mockFlags, pageNow, pageClock }, use) => {
    const start = Date.parse(pageNow ?? mockNow(mockFlags));
    if (pageClock === 'playwright') await context.clock.install({ time: start });
    else await context.addInitScript(shiftDate, start - Date.now());
    await use(start);
  }, { auto: true }],
  mock: async ({ mockFlags }, use) => {
    const mock = await MockApi.start(mockFlags);
    await use(mock);
    await mock.stop();
  },
  requests: async ({ page }, use) => {
    const seen: Request[] = [];
    page.on('request', (r) => seen.push(r));
    await use(seen);
    for (const r of seen) expect(r.url(), 'the API key must never be in a URL').not.toContain(KEY);
  },
  consoleMessages: async ({ page }, use) => {
    const seen: string[] = [];
    page.on('console', (m) => seen.push(m.text()));
    page.on('pageerror', (e) => seen.push(`pageerror: ${e.message}`));
    await use(seen);
    for (const m of seen) {
      expect(m, 'the API key must never reach the console').not.toContain(KEY);
      expect(m, 'the Content-Security-Policy must not block anything the app does').not.toMatch(/Content Security Policy/i);
    }
  },
  dashboard: async ({ page, mock, requests, consoleMessages }, use) => {
    void requests; void consoleMessages; // always on
    await use(new Dashboard(page, mock, requests));
  },
});

export { expect, KEY };
export type { Page };
