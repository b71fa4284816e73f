// Benchmark: navigation → first rows from the live API, and the same moment measured from the
// wasm start. Each run is a fresh context (cold HTTP cache, empty storage except the remembered
// key), so the app starts live at once, as it does for a user who ticked "Remember": the first
// visit. The same context then opens the dashboard again: the returning visit, with the hashed
// assets in the HTTP cache (mock-api sends the deployment's `immutable` header for them).
//
// Instrumentation (an init script, before any page script):
// - wasm start: when WebAssembly.instantiateStreaming (or instantiate) resolves; the glue calls
//   the Rust main (`__wbindgen_start`) right after, so this is the moment the app starts;
// - app started: Trunk's `TrunkApplicationStarted` event (after main has mounted the app);
// - first rows: a MutationObserver sees the first `table.requests tbody tr[data-id]`; the
//   source badge is read at that moment (it must say "Live API"), then two animation frames
//   later the frame that shows the rows has been produced, and the init script logs BENCH_DONE;
// - nothing of Playwright's runs in the page until then: Node waits for that console message,
//   not with page.waitForFunction, whose injected script (about 35 ms of script evaluation on
//   these cores) would otherwise land in the middle of the measured start-up;
// - the table's API call: its Resource Timing entry (start → responseEnd = one round trip).
import { test, Page } from '@playwright/test';
import { BenchMock, liveContext, writeResult, summary, LATENCY_MS } from './support';

const RUNS = Math.max(1, Number(process.env.BENCH_FIRST_RUNS ?? 10));
const BENCH_DONE = '__bench:first-rows-painted';

declare global {
  interface Window { __bench: any }
}

function instrument(done: string) {
  const b: any = (window.__bench = {});
  const now = () => performance.now();
  for (const name of ['instantiateStreaming', 'instantiate'] as const) {
    const orig = (WebAssembly as any)[name];
    if (typeof orig !== 'function') continue;
    (WebAssembly as any)[name] = function (this: unknown, ...args: unknown[]) {
      const called = now();
      return orig.apply(this, args).then((r: unknown) => {
        if (b.wasmStart === undefined) { b.wasmInstantiateCalled = called; b.wasmStart = now(); }
        return r;
      });
    };
  }
  addEventListener('TrunkApplicationStarted', () => { b.appStarted = now(); });
  const seek = () => {
    if (b.firstRow !== undefined) return;
    const tr = document.querySelector('table.requests tbody tr[data-id]');
    if (!tr) return;
    b.firstRow = now();
    b.firstRowId = tr.getAttribute('data-id');
    b.rowsAtFirst = document.querySelectorAll('table.requests tbody tr[data-id]').length;
    b.badgeAtFirst = document.querySelector('.source-badge')?.textContent ?? null;
    observer.disconnect();
    requestAnimationFrame(() => requestAnimationFrame(() => {
      b.firstRowPainted = now();
      console.log(done);
    }));
  };
  const observer = new MutationObserver(seek);
  observer.observe(document, { childList: true, subtree: true });
}

/** One navigation of `page` to the app, measured (see the header). */
async function measure(page: Page, mock: BenchMock, ids: Set<string>, label: string) {
  await mock.resetStats();
  const painted = page.waitForEvent('console', { predicate: (m) => m.text() === BENCH_DONE, timeout: 30_000 });
  await page.goto(`${mock.url}/`);
  await painted;
  const calls = await mock.settle();
  const m = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const res = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const wasm = res.find((e) => e.name.endsWith('.wasm'));
    const api = res
      .filter((e) => e.name.includes('/v1/api/requests'))
      .map((e) => ({ url: new URL(e.name).search, start: e.startTime, end: e.responseEnd }));
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null;
    return {
      ...window.__bench,
      documentEnd: nav.responseEnd,
      domContentLoaded: nav.domContentLoadedEventEnd,
      wasmFetchStart: wasm?.startTime ?? null,
      wasmFetchEnd: wasm?.responseEnd ?? null,
      // 0 when the wasm came from the HTTP cache (a warm start).
      wasmTransferSize: wasm?.transferSize ?? null,
      fcp,
      api,
    };
  });
  // The table's call is the page query (the status cards ask for limit=1).
  const table = m.api.filter((a: any) => !/[?&]limit=1(&|$)/.test(a.url)).sort((a: any, b: any) => a.start - b.start)[0];
  const log = (await mock.stats()).log.map((c) => `${c.method} ${c.uri}`);
  const run = {
    ...m,
    tableCall: table,
    roundTrip: table ? table.end - table.start : null,
    firstRowsAfterWasmStart: m.firstRow - m.wasmStart,
    firstRowsAfterAppStarted: m.firstRow - m.appStarted,
    firstRowLive: m.badgeAtFirst === 'Live API' && ids.has(m.firstRowId),
    calls,
    log,
  };
  // Where the time between wasm start and first rows goes.
  run.wasmStartToRequest = table ? table.start - m.wasmStart : null;
  run.responseToFirstRows = table ? m.firstRow - table.end : null;
  run.marginOverRoundTrip = run.roundTrip === null ? null : run.firstRowsAfterWasmStart - run.roundTrip;
  if (!run.firstRowLive) throw new Error(`${label}: the first rows were not from the live API (${m.badgeAtFirst}, ${m.firstRowId})`);
  console.log(`first rows ${label}: nav→rows ${m.firstRow.toFixed(0)} ms, wasm start→rows ${run.firstRowsAfterWasmStart.toFixed(0)} ms, round trip ${run.roundTrip?.toFixed(0)} ms, ${calls} calls, wasm transfer ${m.wasmTransferSize} B`);
  return run;
}

function summarize(runs: any[]) {
  const pick = (k: string) => runs.map((r) => r[k]).filter((x) => typeof x === 'number');
  return {
    navToFirstRows: summary(pick('firstRow')),
    navToFirstRowsPainted: summary(pick('firstRowPainted')),
    navToFcp: summary(pick('fcp')),
    navToWasmFetched: summary(pick('wasmFetchEnd')),
    navToWasmStart: summary(pick('wasmStart')),
    navToAppStarted: summary(pick('appStarted')),
    firstRowsAfterWasmStart: summary(pick('firstRowsAfterWasmStart')),
    firstRowsAfterAppStarted: summary(pick('firstRowsAfterAppStarted')),
    roundTrip: summary(pick('roundTrip')),
    wasmStartToRequest: summary(pick('wasmStartToRequest')),
    responseToFirstRows: summary(pick('responseToFirstRows')),
    marginOverRoundTrip: summary(pick('marginOverRoundTrip')),
    callsAtFirstLoad: summary(pick('calls')),
    wasmTransferSize: summary(pick('wasmTransferSize')),
  };
}

// Each run: a cold start in a new context (empty HTTP cache), then a warm start in the same
// context (a returning user: the hashed assets come from the HTTP cache, as the deployment's
// `immutable` headers allow, and Chromium may reuse the wasm code it compiled and cached).
test('first rows from the live API', async ({ browser }) => {
  const mock = await BenchMock.start([]);
  const runs: any[] = [];
  const warm: any[] = [];
  try {
    const { requests } = await mock.dataset();
    const ids = new Set(requests.map((r: any) => r.id));
    for (let i = 0; i < RUNS; i++) {
      const context = await liveContext(browser, mock);
      try {
        await context.addInitScript(instrument, BENCH_DONE);
        const page = await context.newPage();
        runs.push(await measure(page, mock, ids, `run ${i + 1}/${RUNS} cold`));
        warm.push(await measure(page, mock, ids, `run ${i + 1}/${RUNS} warm`));
      } finally {
        await context.close();
      }
    }
  } finally {
    await mock.stop();
  }
  writeResult('first-rows', {
    mockFlags: mock.flags,
    latencyMs: LATENCY_MS,
    runs,
    warmRuns: warm,
    summary: summarize(runs),
    warm: summarize(warm),
  });
});
