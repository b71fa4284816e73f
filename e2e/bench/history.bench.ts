// Benchmark: history on this device over 10,000 requests. One context keeps the history and
// loads it once (⌈N/100⌉ calls), then each run is a returning visit in the same context:
// navigation → first rows answered from the copy, the calls the visit's sync makes, the
// Overview over every stored request (Analyze all matching, answered from the copy), and an
// export of all 10,000 from the copy. Calls are counted on the mock; nothing is asserted.
import { test } from '@playwright/test';
import { BenchMock, liveContext, writeResult, summary, RUNS } from './support';

const N = 10_000;

test('history on this device: returning visit, Overview and export from the copy', async ({ browser }) => {
  test.setTimeout(600_000);
  const mock = await BenchMock.start(['--records', String(N)]);
  try {
    const context = await liveContext(browser, mock);
    const page = await context.newPage();
    await page.goto(mock.url);
    await page.locator('table.requests tbody tr[data-id]').first().waitFor();
    await mock.settle();
    await page.locator('.settings-line').getByRole('button', { name: 'Change' }).click();
    await page.getByLabel('Keep history on this device').check();
    await mock.resetStats();
    const loadStart = Date.now();
    await page.getByRole('button', { name: 'Load history' }).click();
    await page.locator('.history-status', { hasText: `Synced: ${N.toLocaleString('en-US')} new` }).waitFor({ timeout: 300_000 });
    const firstLoadMs = Date.now() - loadStart;
    const firstLoadCalls = (await mock.stats()).calls;

    const firstRows: number[] = [];
    const visitCalls: number[] = [];
    const overview: number[] = [];
    const exportMs: number[] = [];
    const exportCalls: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await mock.resetStats();
      await page.goto(mock.url);
      await page.locator('table.requests tbody tr[data-id]').first().waitFor();
      firstRows.push(await page.evaluate(() => performance.now()));
      await page.locator('.history-status', { hasText: 'Synced:' }).waitFor();
      visitCalls.push(await mock.settle());

      await mock.resetStats();
      const t0 = await page.evaluate(() => performance.now());
      await page.getByRole('button', { name: 'Analyze all matching' }).click();
      await page.locator('.overview .scope', { hasText: `Based on all ${N.toLocaleString('en-US')} matching requests` }).waitFor();
      overview.push((await page.evaluate(() => performance.now())) - t0);

      const e0 = Date.now();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Export CSV' }).click(),
      ]);
      await download.path();
      exportMs.push(Date.now() - e0);
      exportCalls.push((await mock.stats()).calls);
    }
    writeResult('history', {
      requests: N,
      firstLoad: { ms: firstLoadMs, calls: firstLoadCalls },
      returningFirstRowsMs: summary(firstRows),
      returningVisitCalls: summary(visitCalls),
      overviewFromCopyMs: summary(overview),
      exportFromCopyMs: summary(exportMs),
      exportFromCopyCalls: summary(exportCalls),
    });
    await context.close();
  } finally {
    await mock.stop();
  }
});
