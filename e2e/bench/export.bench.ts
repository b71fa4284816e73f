// Benchmark: load all + export CSV of 10,000 requests in the dashboard, against the vendor's
// documented sequential loop (`paginate_all_requests` / `export_requests_to_csv` on its "Get
// User Requests" page: one page of 100 at a time, `offset += 100`
// until `has_more` is false, then the CSV) run in Node against the SAME mock-api process in the
// same run. The order alternates between runs so neither side always goes first. Calls are
// counted on the mock (/__mock/stats) for both.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from '@playwright/test';
import { parseCsv } from '../support/csv';
import { BenchMock, KEY, liveContext, writeResult, summary, median, RUNS, OUT } from './support';

const RECORDS = Number(process.env.BENCH_EXPORT_RECORDS ?? 10_000);

declare global {
  interface Window { __exp: any }
}

/** The seed's CSV columns, in its order. */
const FIELDS = ['id', 'loop_id', 'processing_type', 'type', 'priority', 'request_text', 'response_type',
  'status', 'response_data', 'response_time_seconds', 'created_at', 'response_at'];

/** Python's str() for what json.loads can produce (csv.DictWriter calls str on each value). */
function pyStr(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** csv.writer's default dialect: QUOTE_MINIMAL, doubled quotes, CRLF. */
function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The seed's export, step by step, in Node (fetch with the bearer header). */
async function seedExport(base: string, file: string): Promise<{ rows: number; pages: number; fetchMs: number; csvMs: number; totalMs: number }> {
  const t0 = performance.now();
  const allRequests: any[] = [];
  let offset = 0;
  const limit = 100;
  let pages = 0;
  for (;;) {
    const params = new URLSearchParams({ limit: String(limit), offset: String(offset) });
    const response = await fetch(`${base}/v1/api/requests?${params}`, { headers: { Authorization: `Bearer ${KEY}` } });
    const data = (await response.json()).data;
    pages++;
    allRequests.push(...data.requests);
    if (!data.has_more) break;
    offset += limit;
  }
  const t1 = performance.now();
  const lines = [FIELDS.join(',')];
  for (const request of allRequests) {
    const row = FIELDS.map((f) => pyStr(request[f] ?? ''));
    const text = [...row[5]];
    if (text.length > 1000) row[5] = text.slice(0, 997).join('') + '...';
    lines.push(row.map(csvField).join(','));
  }
  fs.writeFileSync(file, lines.join('\r\n') + '\r\n', 'utf8');
  const t2 = performance.now();
  return { rows: allRequests.length, pages, fetchMs: t1 - t0, csvMs: t2 - t1, totalMs: t2 - t0 };
}

/** Merged length (ms) of [start, end) intervals in µs. */
function unionMs(iv: [number, number][]): number {
  const s = [...iv].sort((a, b) => a[0] - b[0]);
  let total = 0, cs = -Infinity, ce = -Infinity;
  for (const [a, b] of s) {
    if (a > ce) { if (ce > cs) total += ce - cs; cs = a; ce = b; } else ce = Math.max(ce, b);
  }
  if (ce > cs) total += ce - cs;
  return total / 1000;
}

/** Where the page's main thread spent the export, from a Chrome trace: busy time and its
 *  main kinds, between the `bench-export-start` and `bench-export-end` marks. */
function analyseTrace(file: string) {
  const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  const ev: any[] = raw.traceEvents ?? raw;
  const start = ev.find((e) => e.name === 'bench-export-start')?.ts;
  const end = ev.find((e) => e.name === 'bench-export-end')?.ts;
  if (start === undefined || end === undefined) return null;
  const threads = new Map<string, string>();
  for (const e of ev) if (e.ph === 'M' && e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args.name);
  const pid = ev.find((e) => e.name === 'bench-export-start').pid;
  const mainKey = [...threads].find(([k, v]) => v === 'CrRendererMain' && k.startsWith(`${pid}:`))?.[0];
  const main = ev.filter((e) => e.ph === 'X' && `${e.pid}:${e.tid}` === mainKey && e.ts < end && e.ts + (e.dur ?? 0) > start)
    .map((e) => ({ name: e.name as string, a: Math.max(e.ts, start), b: Math.min(e.ts + (e.dur ?? 0), end), args: e.args }));
  const of = (names: string[]) => unionMs(main.filter((e) => names.includes(e.name)).map((e) => [e.a, e.b]));
  const paints = main.filter((e) => e.name === 'Paint');
  const area = (e: any) => { const c = e.args?.data?.clip; return c ? `${Math.round(Math.abs(c[2] - c[0]))}×${Math.round(Math.abs(c[5] - c[1]))}` : '?'; };
  const areas = new Map<string, number>();
  for (const e of paints) areas.set(area(e), (areas.get(area(e)) ?? 0) + 1);
  return {
    windowMs: (end - start) / 1000,
    busyMs: unionMs(main.map((e) => [e.a, e.b])),
    scriptMs: of(['FunctionCall', 'v8.callFunction', 'BlinkScheduler_PerformMicrotaskCheckpoint', 'EvaluateScript', 'TimerFire', 'FireAnimationFrame', 'EventDispatch']),
    styleLayoutMs: of(['UpdateLayoutTree', 'Layout', 'PrePaint', 'Layerize', 'Commit', 'HitTest']),
    paintMs: of(['Paint']),
    gcMs: of(['MinorGC', 'MajorGC', 'V8.GCScavenger', 'V8.GC_MARK_COMPACTOR']),
    paints: paints.length,
    paintAreas: [...areas].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([a, n]) => `${n}× ${a}`),
    longestScriptMs: Math.max(0, ...main.filter((e) => e.name === 'FunctionCall' || e.name === 'v8.callFunction').map((e) => (e.b - e.a) / 1000)),
  };
}

test('load all + export 10,000 requests vs the seed loop', async ({ browser }) => {
  const mock = await BenchMock.start(['--records', String(RECORDS)]);
  const calls = Math.ceil(RECORDS / 100);
  const runs: any[] = [];
  let trace: any = null;
  fs.mkdirSync(OUT, { recursive: true });
  const seedFile = path.join(OUT, 'seed-export.csv');
  try {
    const app = async (traceFile?: string) => {
      const context = await liveContext(browser, mock);
      try {
        const page = await context.newPage();
        await page.goto(`${mock.url}/`);
        await page.locator('table.requests tbody tr[data-id]').first().waitFor();
        await page.locator('.export-cost').filter({ hasText: `Export costs ${calls} calls` }).waitFor();
        await mock.settle();
        await mock.resetStats();
        await page.evaluate(() => {
          const e: any = (window.__exp = {});
          document.addEventListener('click', (ev) => {
            const t = ev.target as Element;
            if (t instanceof HTMLButtonElement && t.textContent?.trim() === 'Export CSV' && e.click === undefined) {
              e.click = performance.now();
              e.clickEpoch = performance.timeOrigin + e.click;
              performance.mark('bench-export-start');
            }
            if (t instanceof HTMLAnchorElement && t.hasAttribute('download') && e.anchor === undefined) {
              e.anchor = performance.now();
              performance.mark('bench-export-end');
            }
          }, true);
        });
        if (traceFile) {
          await browser.startTracing(page, { path: traceFile, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink.user_timing', 'toplevel'] });
        }
        let downloadEpoch = 0;
        const [download] = await Promise.all([
          page.waitForEvent('download', { timeout: 120_000 }).then((d) => { downloadEpoch = performance.timeOrigin + performance.now(); return d; }),
          page.getByRole('button', { name: 'Export CSV' }).click(),
        ]);
        const inPage = await page.evaluate(() => {
          // Where the time went: the API calls of the export (Resource Timing) vs the rest.
          const api = (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
            .filter((e) => e.name.includes('/v1/api/requests') && e.startTime >= window.__exp.click);
          return {
            ...window.__exp,
            apiFirstStart: Math.min(...api.map((e) => e.startTime)),
            apiLastEnd: Math.max(...api.map((e) => e.responseEnd)),
            apiEntries: api.length,
            apiMedianDuration: api.map((e) => e.responseEnd - e.startTime).sort((a, b) => a - b)[api.length >> 1],
          };
        });
        if (traceFile) await browser.stopTracing();
        const stats = await mock.stats();
        const text = fs.readFileSync((await download.path())!, 'utf8');
        const rows = parseCsv(text).length - 1;
        return {
          // The click event in the page → Playwright's download event here (same wall clock;
          // Playwright's own click overhead is left out, the browser's download hand-off is in).
          wallMs: downloadEpoch - inPage.clickEpoch,
          inPageMs: inPage.anchor - inPage.click,
          // click → last API answer, and last answer → file handed over (merge, CSV, Blob)
          fetchPhaseMs: inPage.apiLastEnd - inPage.click,
          afterFetchMs: inPage.anchor - inPage.apiLastEnd,
          apiCallMedianMs: inPage.apiMedianDuration,
          apiEntries: inPage.apiEntries,
          calls: stats.calls,
          pageCalls: stats.log.filter((c) => /[?&]limit=100(&|$)/.test(c.uri)).length,
          rows,
          file: download.suggestedFilename(),
        };
      } finally {
        await context.close();
      }
    };
    const seed = async () => {
      await mock.resetStats();
      const r = await seedExport(mock.url, seedFile);
      const stats = await mock.stats();
      return { ...r, calls: stats.calls };
    };
    for (let i = 0; i < RUNS; i++) {
      const run: any = { order: i % 2 === 0 ? 'app first' : 'seed first' };
      if (i % 2 === 0) { run.app = await app(); run.seed = await seed(); } else { run.seed = await seed(); run.app = await app(); }
      run.ratioWall = run.app.wallMs / run.seed.totalMs;
      run.ratioInPage = run.app.inPageMs / run.seed.totalMs;
      if (run.app.rows !== RECORDS || run.seed.rows !== RECORDS) throw new Error(`run ${i}: rows app ${run.app.rows}, seed ${run.seed.rows}, expected ${RECORDS}`);
      runs.push(run);
      console.log(`export run ${i + 1}/${RUNS} (${run.order}): app ${run.app.wallMs.toFixed(0)} ms (in page ${run.app.inPageMs.toFixed(0)} ms = fetch ${run.app.fetchPhaseMs.toFixed(0)} + after ${run.app.afterFetchMs.toFixed(0)}, call ${run.app.apiCallMedianMs.toFixed(0)} ms, ${run.app.calls} calls), seed ${run.seed.totalMs.toFixed(0)} ms (${run.seed.calls} calls), ratio ${run.ratioWall.toFixed(3)}`);
    }
    // One more app run under the Chrome tracer (slower, so not in the medians): where the
    // main thread spends the export.
    const traceFile = path.join(OUT, 'export-trace.json');
    const traced = await app(traceFile);
    trace = { ...analyseTrace(traceFile), inPageMs: traced.inPageMs };
    fs.rmSync(traceFile, { force: true });
    console.log(`traced export run: ${JSON.stringify(trace)}`);
  } finally {
    await mock.stop();
    fs.rmSync(seedFile, { force: true });
  }
  const app = (k: string) => runs.map((r) => r.app[k]);
  const seed = (k: string) => runs.map((r) => r.seed[k]);
  writeResult('export', {
    records: RECORDS,
    mockFlags: mock.flags,
    runs,
    trace,
    summary: {
      appWall: summary(app('wallMs')),
      appInPage: summary(app('inPageMs')),
      appFetchPhase: summary(app('fetchPhaseMs')),
      appAfterFetch: summary(app('afterFetchMs')),
      appCallDuration: summary(app('apiCallMedianMs')),
      appCalls: summary(app('calls')),
      seedTotal: summary(seed('totalMs')),
      seedFetch: summary(seed('fetchMs')),
      seedCsv: summary(seed('csvMs')),
      seedCalls: summary(seed('calls')),
      ratioWall: summary(runs.map((r) => r.ratioWall)),
      ratioInPage: summary(runs.map((r) => r.ratioInPage)),
      ratioOfMediansWall: median(app('wallMs')) / median(seed('totalMs')),
    },
  });
});
