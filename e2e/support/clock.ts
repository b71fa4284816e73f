// The one clock of an e2e run. The mock starts its data and its quota windows at this instant
// (`--now`) and every page's `Date` runs from the same instant (`shiftDate`), so no test reads
// this machine's date. `E2E_NOW=2028-01-02T12:00:00Z make test` runs the suite at another date.
export const TEST_NOW: string = process.env.E2E_NOW ?? '2026-11-28T12:00:00Z';
if (Number.isNaN(Date.parse(TEST_NOW))) throw new Error(`E2E_NOW=${TEST_NOW} is not an RFC 3339 instant`);

/** The instant a mock started with `flags` calls now: the last `--now` among them, else TEST_NOW. */
export function mockNow(flags: readonly string[]): string {
  let now = TEST_NOW;
  flags.forEach((f, i) => {
    if (f === '--now' && flags[i + 1]) now = flags[i + 1];
    else if (f.startsWith('--now=')) now = f.slice('--now='.length);
  });
  return now;
}

/** `iso` plus `minutes`, as "YYYY-MM-DD HH:MM" (what the table shows for an offset in minutes). */
export function shifted(iso: string, minutes: number): string {
  return new Date(Date.parse(iso) + minutes * 60_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** Runs in the page before its own scripts: `Date` (now, `new Date()`) reads this machine's
 *  clock plus `offset` ms; everything else about `Date` is the browser's. */
export function shiftDate(offset: number): void {
  const Native = Date;
  const now = () => Native.now() + offset;
  class Shifted extends Native {
    constructor(...args: any[]) {
      if (args.length === 0) super(now());
      else super(...(args as [any]));
    }
    static now(): number {
      return now();
    }
  }
  (globalThis as any).Date = Shifted;
}
