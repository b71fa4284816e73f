// Benchmark: history on this device over 10,000 requests. One context keeps the history and
// loads it once (⌈N/100⌉ calls), then each run is a returning visit in the same context:
// navigation → first rows answered from the copy, the calls the visit's sync makes, the
// Overview over every stored request (Analyze all matching, answered from the copy), and an
// export of all 10,000 from the copy. Calls are counted on the mock; nothing is asserted.
// Moments are taken in the page (an init script, as in first-rows.bench.ts), not by polling
// from Node: the wasm start, the first row's insertion, and from the click on Analyze all
// matching to the Overview's "Based on all …" line.
import { test } from '@playwright/test';
import { BenchMock, liveContext, writeResult, summary, RUNS } from './support';

const N = 10_000;

declare global {
  interface Window { __hb: any }
}

function instrument() {
  const b: any = (window.__hb = {});
  const now = () => performance.now();
  for (const name of ['instantiateStreaming', 'instantiate'] as const) {
    const orig = (WebAssembly as any)[name];
    if (typeof orig !== 'function') continue;
    (WebAssembly as any)[name] = function (this: unknown, ...args: unknown[]) {
      return orig.apply(this, args).then((r: unknown) => {
        if (b.wasmStart === undefined) b.wasmStart = now();
        return r;
      });
    };
  }
  const seek = () => {
    if (b.firstRow === undefined && document.querySelector('table.requests tbody tr[data-id]')) {
      b.firstRow = now();
      b.badgeAtFirst = document.querySelector('.source-badge')?.textContent ?? null;
    }
    if (b.clicked !== undefined && b.overview === undefined) {
      const scope = document.querySelector('.overview .scope')?.textContent ?? '';
      if (scope.includes(b.overviewText)) b.overview = now();
    }
  };
  new MutationObserver(seek).observe(document, { childList: true, subtree: true, characterData: true });
  addEventListener('click', (e) => {
    if ((e.target as Element)?.textContent?.trim() === 'Analyze all matching') b.clicked = now();
  }, true);
}

test('history on this device: returning visit, Overview and export from the copy', async ({ browser }) => {
  test.setTimeout(600_000);
  const mock = await BenchMock.start(['--records', String(N)]);
  try {
    const context = await liveContext(browser, mock);
    await context.addInitScript(instrument);
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
    const firstRowsFromNav: number[] = [];
    const visitCalls: number[] = [];
    const overview: number[] = [];
    const exportMs: number[] = [];
    const exportCalls: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await mock.resetStats();
      await page.goto(mock.url);
      await page.locator('table.requests tbody tr[data-id]').first().waitFor();
      await page.locator('.history-status', { hasText: 'Synced:' }).waitFor();
      visitCalls.push(await mock.settle());
      const visit = await page.evaluate(() => window.__hb);
      if (!String(visit.badgeAtFirst).startsWith('History on this device')) {
        throw new Error(`first rows came from ${visit.badgeAtFirst}, not from the copy`);
      }
      firstRowsFromNav.push(visit.firstRow);
      firstRows.push(visit.firstRow - visit.wasmStart);

      await mock.resetStats();
      const text = `Based on all ${N.toLocaleString('en-US')} matching requests`;
      await page.evaluate((t) => { window.__hb.overviewText = t; }, text);
      await page.getByRole('button', { name: 'Analyze all matching' }).click();
      await page.locator('.overview .scope', { hasText: text }).waitFor();
      overview.push(await page.evaluate(() => window.__hb.overview - window.__hb.clicked));

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
      returningFirstRowsAfterWasmStartMs: summary(firstRows),
      returningFirstRowsFromNavigationMs: summary(firstRowsFromNav),
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
