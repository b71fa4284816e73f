// Test fixtures: a fresh mock-api per test (flags via `test.use({ mockFlags: [...] })`) and the
// dashboard page object. Every request the page makes is recorded so tests can assert that the
// API key never appears in a URL.
import { test as base, expect, Page, Request } from '@playwright/test';
import { MockApi, KEY } from './mock';
import { Dashboard } from './dashboard';

type Fixtures = {
  mockFlags: string[];
  mock: MockApi;
  dashboard: Dashboard;
  requests: Request[];
  consoleMessages: string[];
};

export const test = base.extend<Fixtures>({
  mockFlags: [[], { option: true }],
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
    await use(new Dashboard(page, mock));
  },
});

export { expect, KEY };
export type { Page };
