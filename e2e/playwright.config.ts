import { defineConfig } from '@playwright/test';

// Debian's chromium, never a downloaded browser; the flags keep it off the closed network.
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export default defineConfig({
  testDir: './tests',
  // Separate folders let several runs share the checkout.
  outputDir: process.env.PW_OUTPUT_DIR ?? './test-results',
  // Two cores: one worker keeps timings honest; each test starts its own mock-api anyway.
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  retries: 0,
  reporter: [['list']],
  use: {
    headless: true,
    viewport: { width: 1400, height: 1000 },
    launchOptions: { executablePath: '/usr/bin/chromium', args: chromiumArgs },
    trace: 'retain-on-failure',
  },
});
