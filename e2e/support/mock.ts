// Starts a real mock-api process (the release-built dashboard in dist/ on the same origin) on a
// free port and stops it afterwards. Tests read its call log to count API calls.
import { spawn, ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { mockNow } from './clock';

export const ROOT = path.resolve(__dirname, '..', '..');
export const MOCK_BIN = path.join(ROOT, 'target', 'debug', 'mock-api');
export const DIST = process.env.DIST_DIR ? path.resolve(ROOT, process.env.DIST_DIR) : path.join(ROOT, 'dist');
export const KEY = 'e2e-key-5f3c9a1b7d';

export interface CallLogEntry { method: string; uri: string; status: number; auth: boolean }
/** `max_in_flight`: the most /v1 calls being answered at once since the last reset. */
export interface Stats { calls: number; max_in_flight: number; log: CallLogEntry[] }

export class MockApi {
  /** `now`: the mock's clock at start (RFC 3339); pages of the same test start theirs there. */
  private constructor(private child: ChildProcess, readonly url: string, readonly now: string) {}

  static async start(flags: string[] = [], opts: { serveDist?: boolean } = {}): Promise<MockApi> {
    const now = mockNow(flags);
    const args = ['--port', '0', '--key', KEY, ...flags, '--now', now];
    if (opts.serveDist !== false) args.push('--static', DIST);
    const child = spawn(MOCK_BIN, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    const url = await new Promise<string>((resolve, reject) => {
      let buf = '';
      const timer = setTimeout(() => reject(new Error('mock-api did not start')), 10_000);
      child.stdout!.on('data', (d: Buffer) => {
        buf += d.toString();
        const m = buf.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
        if (m) { clearTimeout(timer); resolve(m[1]); }
      });
      child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`mock-api exited with ${code}`)); });
    });
    return new MockApi(child, url, now);
  }

  async stats(): Promise<Stats> {
    return (await fetch(`${this.url}/__mock/stats`)).json();
  }

  /** Calls to /v1 (the API), excluding CORS preflights. */
  async calls(): Promise<number> {
    return (await this.stats()).calls;
  }

  /** Sends authenticated calls of its own until the next /v1 call is one that `--fail-every
   *  every` fails. It counts by `calls`, which matches the mock's fault counter only while the
   *  stats have not been reset: call it before any `resetStats`. */
  async makeNextCallFail(every: number): Promise<void> {
    let { calls } = await this.stats();
    while ((calls + 1) % every !== 0) {
      await fetch(`${this.url}/v1/api/requests?limit=1`, { headers: { Authorization: `Bearer ${KEY}` } });
      calls = (await this.stats()).calls;
    }
  }

  async resetStats(): Promise<void> {
    await fetch(`${this.url}/__mock/reset-stats`, { method: 'POST' });
  }

  async dataset(): Promise<{ requests: any[]; loops: any[] }> {
    return (await fetch(`${this.url}/__mock/dataset`)).json();
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3_000);
    await exited;
    clearTimeout(timer);
  }
}
