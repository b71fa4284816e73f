// Benchmarks on 10,000 loaded rows: sorting by a header click (time to next paint) and scrolling
// the windowed table through the whole list. Each run loads the set the way a user would (Export
// CSV loads every matching request), ticks "Show all 10,000 loaded rows", then measures.
//
// Sort: a capture listener on the header button takes the click time; a MutationObserver waits
// until the table's first rows are the expected order (computed here from the mock's dataset
// with the app's rules: stable, by index tie-break) and aria-sort says the direction; then two
// animation frames = the frame showing the new order has been produced.
//
// Scroll: an animation-frame loop moves the container down one screen per frame from top to
// bottom. Per frame: the frame interval, the work between the scroll event and the next
// animation frame (the app's scroll handler and the re-render of the window), and whether the
// rows at the top and bottom of the viewport are rendered (a "blank" frame otherwise). Long
// tasks (> 50 ms) are counted with a PerformanceObserver.
import { test, Page } from '@playwright/test';
import { BenchMock, liveContext, writeResult, summary, RUNS } from './support';

const RECORDS = Number(process.env.BENCH_TABLE_RECORDS ?? 10_000);
const TOP = 10;
const RANK: Record<string, number> = { low: 0, medium: 1, high: 2, critical: 3 };

declare global {
  interface Window { __sort: Promise<{ dom: number; paint: number }> }
}

/** The app's sort (hitl-core sorting::permutation_by_key): keys compared, ties by server index,
 *  missing keys last in both directions. */
function order(rows: any[], key: (r: any) => number | string | null, dir: 'asc' | 'desc'): string[] {
  const present: [number | string, number][] = [];
  const missing: number[] = [];
  rows.forEach((r, i) => { const k = key(r); if (k === null) missing.push(i); else present.push([k, i]); });
  const cmp = (a: number | string, b: number | string) => (a < b ? -1 : a > b ? 1 : 0);
  present.sort((a, b) => (dir === 'asc' ? cmp(a[0], b[0]) : cmp(b[0], a[0])) || a[1] - b[1]);
  return [...present.map(([, i]) => rows[i].id), ...missing.map((i) => rows[i].id)];
}

async function measureSort(page: Page, column: string, aria: string, expectTop: string[]) {
  await page.evaluate(({ column, aria, expectTop }) => {
    const table = document.querySelector('table.requests')!;
    const th = table.querySelector(`thead th.h-${column}`)!;
    const top = () => Array.from(table.querySelectorAll('tbody tr[data-id]'), (tr) => tr.getAttribute('data-id')).slice(0, expectTop.length);
    const done = () => th.getAttribute('aria-sort') === aria && top().every((id, i) => id === expectTop[i]) && top().length === expectTop.length;
    window.__sort = new Promise((resolve, reject) => {
      let t0: number | undefined;
      let finished = false;
      const check = () => {
        if (finished || t0 === undefined || !done()) return;
        finished = true;
        const t1 = performance.now();
        observer.disconnect();
        requestAnimationFrame(() => requestAnimationFrame(() => resolve({ dom: t1 - t0!, paint: performance.now() - t0! })));
      };
      const observer = new MutationObserver(check);
      observer.observe(table, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-sort', 'data-id'] });
      th.querySelector('button')!.addEventListener('click', () => { t0 = performance.now(); queueMicrotask(check); }, { capture: true, once: true });
      setTimeout(() => { if (!finished) { observer.disconnect(); reject(new Error(`${column} ${aria}: top rows ${JSON.stringify(top())}, expected ${JSON.stringify(expectTop)}`)); } }, 30_000);
    });
  }, { column, aria, expectTop });
  await page.locator(`table.requests thead th.h-${column} button`).click();
  return page.evaluate(() => window.__sort);
}

async function measureScroll(page: Page, ids: string[]) {
  return page.evaluate(async (ids) => {
    const el = document.querySelector('.table-wrap.windowed') as HTMLElement;
    const head = (el.querySelector('thead') as HTMLElement).offsetHeight;
    const rowPx = 36;
    const frame = () => new Promise<number>((r) => requestAnimationFrame(r));
    el.scrollTop = 0;
    await frame(); await frame();
    const longTasks: number[] = [];
    const po = new PerformanceObserver((list) => { for (const e of list.getEntries()) longTasks.push(e.duration); });
    po.observe({ type: 'longtask' });
    let scrollAt: number | undefined;
    const onScroll = () => { if (scrollAt === undefined) scrollAt = performance.now(); };
    // Capture on the target runs before the app's own scroll listener.
    el.addEventListener('scroll', onScroll, { capture: true });
    const screen = el.clientHeight;
    const max = el.scrollHeight - el.clientHeight;
    const intervals: number[] = [];
    const work: number[] = [];
    let blank = 0;
    let frames = 0;
    let last = await frame();
    const start = last;
    for (let y = screen; ; y += screen) {
      const target = Math.min(y, max);
      scrollAt = undefined;
      el.scrollTop = target;
      const t = await frame();
      frames++;
      intervals.push(t - last);
      last = t;
      if (scrollAt !== undefined) work.push(performance.now() - scrollAt);
      const st = el.scrollTop;
      const first = Math.min(ids.length - 1, Math.floor(st / rowPx));
      const lastRow = Math.min(ids.length - 1, Math.floor((st + screen - head) / rowPx));
      if (!el.querySelector(`tr[data-id="${ids[first]}"]`) || !el.querySelector(`tr[data-id="${ids[lastRow]}"]`)) blank++;
      if (target >= max) break;
    }
    await frame();
    const total = performance.now() - start;
    el.removeEventListener('scroll', onScroll, { capture: true });
    po.disconnect();
    const lastRendered = !!el.querySelector(`tr[data-id="${ids[ids.length - 1]}"]`);
    const domRows = el.querySelectorAll('tbody tr[data-id]').length;
    el.scrollTop = 0;
    return { screenPx: screen, scrollPx: max, frames, intervals, work, blank, longTasks, total, lastRendered, domRows };
  }, ids);
}

test('sort and scroll 10,000 loaded rows', async ({ browser }) => {
  const mock = await BenchMock.start(['--records', String(RECORDS)]);
  const runs: any[] = [];
  try {
    const { requests } = await mock.dataset();
    const server = requests.map((r: any) => r.id);
    const byPriorityAsc = order(requests, (r) => RANK[r.priority] ?? null, 'asc');
    const byPriorityDesc = order(requests, (r) => RANK[r.priority] ?? null, 'desc');
    const byCreatedAsc = order(requests, (r) => (r.created_at ? Date.parse(r.created_at) : null), 'asc');
    const byRequestAsc = order(requests, (r) => (r.request_text ? String(r.request_text).toLowerCase() : null), 'asc');
    // Each measured click must change the rows on screen, or "the new order is shown" means nothing.
    const steps: [string, string, string, string[]][] = [
      ['priority', 'ascending', 'Priority ▲', byPriorityAsc],
      ['priority', 'descending', 'Priority ▼', byPriorityDesc],
      ['priority', 'none', 'Priority off (server order)', server],
      ['created', 'ascending', 'Created ▲', byCreatedAsc],
      ['request', 'ascending', 'Request text ▲', byRequestAsc],
    ];
    for (let i = 1; i < steps.length; i++) {
      const a = steps[i - 1][3].slice(0, TOP).join(), b = steps[i][3].slice(0, TOP).join();
      if (a === b) throw new Error(`${steps[i][2]} shows the same first rows as ${steps[i - 1][2]}`);
    }
    for (let i = 0; i < RUNS; i++) {
      const context = await liveContext(browser, mock);
      try {
        const page = await context.newPage();
        // A Content-Security-Policy refusal (e.g. an inline style attribute) changes what is measured.
        const csp: string[] = [];
        page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) csp.push(m.text()); });
        await page.goto(`${mock.url}/`);
        await page.locator('table.requests tbody tr[data-id]').first().waitFor();
        await page.locator('.export-cost').filter({ hasText: `Export costs ${Math.ceil(RECORDS / 100)} calls` }).waitFor();
        await Promise.all([
          page.waitForEvent('download', { timeout: 120_000 }),
          page.getByRole('button', { name: 'Export CSV' }).click(),
        ]);
        await page.getByLabel(/Show all [\d,]+ loaded rows/).check();
        await page.locator('.table-wrap.windowed').waitFor();
        await page.waitForFunction((want) => {
          const ids = Array.from(document.querySelectorAll('table.requests tbody tr[data-id]'), (tr) => tr.getAttribute('data-id'));
          return ids.length > 0 && want.every((id, j) => ids[j] === id);
        }, server.slice(0, TOP));
        await mock.settle();
        const sorts: Record<string, { dom: number; paint: number }> = {};
        // Sort 'request ▲' last, then back to server order for the scroll (two more clicks).
        for (const [column, aria, label, expected] of steps) sorts[label] = await measureSort(page, column, aria, expected.slice(0, TOP));
        await page.locator('table.requests thead th.h-request button').click();
        await page.locator('table.requests thead th.h-request button').click();
        await page.waitForFunction((want) => {
          const th = document.querySelector('table.requests thead th.h-request');
          const ids = Array.from(document.querySelectorAll('table.requests tbody tr[data-id]'), (tr) => tr.getAttribute('data-id'));
          return th?.getAttribute('aria-sort') === 'none' && want.every((id, j) => ids[j] === id);
        }, server.slice(0, TOP));
        const scroll = await measureScroll(page, server);
        // Not thrown: a table that cannot be scrolled to its end is a result to report.
        if (!scroll.lastRendered) console.log(`run ${i}: the last row is NOT rendered at the bottom (scroll range ${scroll.scrollPx} px for ${RECORDS} rows)`);
        runs.push({ sorts, scroll, cspRefusals: csp.length, cspExample: csp[0]?.slice(0, 300) ?? null });
        const ms = (x: number) => `${x.toFixed(0)} ms`;
        console.log(`table run ${i + 1}/${RUNS}: ` + Object.entries(sorts).map(([k, v]) => `${k} ${ms(v.paint)}`).join(', ') +
          ` | scroll ${scroll.frames} frames, ${ms(scroll.total)}, blank ${scroll.blank}, long tasks ${scroll.longTasks.length}`);
      } finally {
        await context.close();
      }
    }
  } finally {
    await mock.stop();
  }
  const labels = Object.keys(runs[0]?.sorts ?? {});
  const sortSummary: Record<string, any> = {};
  for (const l of labels) {
    sortSummary[l] = { paint: summary(runs.map((r) => r.sorts[l].paint)), dom: summary(runs.map((r) => r.sorts[l].dom)) };
  }
  // Every measured sort click of every run together.
  const allPaint = runs.flatMap((r) => Object.values(r.sorts).map((s: any) => s.paint));
  const scrolls = runs.map((r) => r.scroll);
  writeResult('table', {
    records: RECORDS,
    mockFlags: mock.flags,
    topRowsChecked: TOP,
    runs: runs.map((r) => ({ sorts: r.sorts, cspRefusals: r.cspRefusals, cspExample: r.cspExample, scroll: { ...r.scroll, intervals: undefined, work: undefined,
      intervalMedian: summary(r.scroll.intervals, true), workMedian: summary(r.scroll.work, true) } })),
    summary: {
      sorts: sortSummary,
      sortAllClicksPaint: summary(allPaint, true),
      scroll: {
        frames: summary(scrolls.map((s) => s.frames)),
        totalMs: summary(scrolls.map((s) => s.total)),
        frameInterval: summary(scrolls.flatMap((s) => s.intervals), true),
        workPerStep: summary(scrolls.flatMap((s) => s.work), true),
        framesOver50ms: summary(scrolls.map((s) => s.intervals.filter((x: number) => x > 50).length)),
        blankFrames: summary(scrolls.map((s) => s.blank)),
        longTasks: summary(scrolls.map((s) => s.longTasks.length)),
        longTaskMs: summary(scrolls.map((s) => s.longTasks.reduce((a: number, b: number) => a + b, 0))),
        screenPx: scrolls[0]?.screenPx,
        scrollPx: scrolls[0]?.scrollPx,
        domRowsAtBottom: scrolls[0]?.domRows,
        reachedBottom: scrolls.filter((s) => s.lastRendered).length,
        expectedScrollPx: RECORDS * 36,
      },
    },
  });
});
