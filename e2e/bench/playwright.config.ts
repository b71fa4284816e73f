// Browser benchmarks (`make bench`, scripts/bench.sh): a separate config so `make test` never
// runs them. Same browser and launch options as the end-to-end tests; one worker so the runs
// do not compete with each other for the two cores. Nothing here asserts a timing: the specs
// record medians for bench/RESULTS.md.
import { defineConfig } from '@playwright/test';
import { chromiumArgs } from '../playwright.config';

export default defineConfig({
  testDir: '.',
  testMatch: '*.bench.ts',
  outputDir: process.env.PW_OUTPUT_DIR ?? '/tmp/pw-bench',
  workers: 1,
  fullyParallel: false,
  timeout: 15 * 60_000,
  expect: { timeout: 30_000 },
  retries: 0,
  reporter: [['list']],
  use: {
    headless: true,
    viewport: { width: 1400, height: 1000 },
    launchOptions: { executablePath: '/usr/bin/chromium', args: chromiumArgs },
    trace: 'off',
  },
});
