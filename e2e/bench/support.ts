// Shared pieces of the browser benchmarks (not tests: nothing here asserts a timing).
// - BenchMock: the release-built mock-api (`cargo build --release -p mock-api`) serving the
//   bench build (dist-bench/) on the same origin, started on a free port and always stopped.
// - liveContext: a fresh browser context (cold HTTP cache, empty storage) whose localStorage
//   holds the remembered key and base URL, so the app starts on the live source at once.
// - writeResult: each spec writes its raw figures as JSON for e2e/bench/report.mjs.
import { spawn, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, BrowserContext } from '@playwright/test';

export const ROOT = path.resolve(__dirname, '..', '..');
export const MOCK_BIN = process.env.BENCH_MOCK_BIN
  ? path.resolve(ROOT, process.env.BENCH_MOCK_BIN)
  : path.join(ROOT, 'target', 'release', 'mock-api');
export const DIST = path.resolve(ROOT, process.env.DIST_DIR ?? 'dist-bench');
export const OUT = path.resolve(ROOT, process.env.BENCH_OUT ?? 'target/bench');
export const KEY = 'bench-key-7d1e4a9c2b';
/** Latency the mock adds to every /v1 call (the 50 ms). */
export const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
/** Runs per benchmark (medians are reported). */
export const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
/** A quota no benchmark can reach: the quota pause is not what is measured. */
const QUOTA = '1000000';

export interface CallLogEntry { method: string; uri: string; status: number; auth: boolean }

export class BenchMock {
  private constructor(private child: ChildProcess, readonly url: string, readonly flags: string[]) {}

  static async start(flags: string[]): Promise<BenchMock> {
    if (!fs.existsSync(MOCK_BIN)) throw new Error(`${MOCK_BIN} is missing: run cargo build --release -p mock-api`);
    if (!fs.existsSync(path.join(DIST, 'index.html'))) throw new Error(`${DIST} is missing: run DIST_DIR=dist-bench scripts/build-dist.sh`);
    const all = ['--latency-ms', String(LATENCY_MS), '--quota', QUOTA, ...flags];
    const args = ['--port', '0', '--key', KEY, '--now', '2026-11-28T12:00:00Z', '--static', DIST, ...all];
    const child = spawn(MOCK_BIN, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    // If the bench process dies without stop(), the server must not outlive it.
    const onExit = () => { if (child.exitCode === null) child.kill('SIGKILL'); };
    process.once('exit', onExit);
    child.once('exit', () => process.off('exit', onExit));
    const url = await new Promise<string>((resolve, reject) => {
      let buf = '';
      const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('mock-api did not start')); }, 20_000);
      child.stdout!.on('data', (d: Buffer) => {
        buf += d.toString();
        const m = buf.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
        if (m) { clearTimeout(timer); resolve(m[1]); }
      });
      child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`mock-api exited with ${code}`)); });
    });
    return new BenchMock(child, url, all);
  }

  async stats(): Promise<{ calls: number; log: CallLogEntry[] }> {
    return (await fetch(`${this.url}/__mock/stats`)).json();
  }

  async resetStats(): Promise<void> {
    await (await fetch(`${this.url}/__mock/reset-stats`, { method: 'POST' })).arrayBuffer();
  }

  async dataset(): Promise<{ requests: any[]; loops: any[] }> {
    return (await fetch(`${this.url}/__mock/dataset`)).json();
  }

  /** Waits until no call has reached the mock for `quietMs` (the page's first load is over). */
  async settle(quietMs = 400, maxMs = 10_000): Promise<number> {
    const deadline = Date.now() + maxMs;
    let last = (await this.stats()).calls;
    for (;;) {
      await new Promise((r) => setTimeout(r, quietMs));
      const now = (await this.stats()).calls;
      if (now === last || Date.now() > deadline) return now;
      last = now;
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3_000);
    await exited;
    clearTimeout(timer);
  }
}

/** A fresh context (cold cache, empty storage) in which the app starts live on `mock`. */
export async function liveContext(browser: Browser, mock: BenchMock): Promise<BrowserContext> {
  const context = await browser.newContext({ acceptDownloads: true });
  await context.addInitScript(({ key, base }) => {
    // Same as ticking "Remember on this device" after a Connect.
    localStorage.setItem('hitl.api_key', key);
    localStorage.setItem('hitl.base_url', base);
  }, { key: KEY, base: mock.url });
  return context;
}

export interface Summary { n: number; median: number; min: number; max: number; p95?: number }

export function median(xs: number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Nearest-rank percentile. */
export function percentile(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export function summary(xs: number[], withP95 = false): Summary {
  const out: Summary = { n: xs.length, median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
  if (withP95) out.p95 = percentile(xs, 95);
  return out;
}

/** Writes a benchmark's figures, with the 1-minute load average at its end (the machine is shared). */
export function writeResult(name: string, data: object): void {
  fs.mkdirSync(OUT, { recursive: true });
  const load1 = Number(fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  fs.writeFileSync(path.join(OUT, `${name}.json`), JSON.stringify({ ...data, load1 }, null, 2));
}
