// Issue 7, static deployment: the sub-path build (--public-url /hitl/) served by Debian's real
// nginx with deploy/nginx.conf (only its listen, root and upstream lines changed), in front of a
// mock-api that serves the API only — with CORS off, so the dashboard can only reach it through
// nginx's same-origin /v1/ proxy.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test as base, expect, KEY } from '../support/fixtures';
import { MockApi } from '../support/mock';
import { Nginx, NGINX_BIN, SUBPATH_DIST, SUB_PATH, ensureSubpathBuild } from '../support/nginx';

const test = base.extend<{ nginx: Nginx }>({
  mock: async ({}, use) => {
    const mock = await MockApi.start(['--cors', 'off'], { serveDist: false });
    await use(mock);
    await mock.stop();
  },
  nginx: async ({ mock }, use) => {
    const nginx = await Nginx.start({ dist: SUBPATH_DIST, upstream: mock.url });
    await use(nginx);
    await nginx.stop();
  },
});

test.beforeAll(async () => {
  if (!fs.existsSync(NGINX_BIN)) throw new Error(`${NGINX_BIN} is missing: run scripts/setup.sh (installs Debian's nginx)`);
  // One extra release build (into dist-subpath/), skipped when it is newer than dist/.
  test.setTimeout(20 * 60_000);
  await ensureSubpathBuild();
});

/** The hashed asset files of the build, by kind (Trunk writes the 64-bit hash in hex without
 *  leading zeros: 16 digits, 15 one time in 16 — main.css is such a case today). */
function assets(): { js: string; wasm: string; css: string; svg: string } {
  const files = fs.readdirSync(SUBPATH_DIST);
  const find = (re: RegExp) => {
    const f = files.find((n) => re.test(n));
    if (!f) throw new Error(`no ${re} in ${SUBPATH_DIST}`);
    return f;
  };
  return {
    js: find(/^hitl-dashboard-[0-9a-f]{8,16}\.js$/),
    wasm: find(/^hitl-dashboard-[0-9a-f]{8,16}_bg\.wasm$/),
    css: find(/^main-[0-9a-f]{8,16}\.css$/),
    svg: find(/^favicon-[0-9a-f]{8,16}\.svg$/),
  };
}

// `consoleMessages` (support/fixtures.ts): the page logs no CSP violation and never the key.
test('the sub-path build loads from nginx: every asset under /hitl/, wasm as application/wasm', async ({ nginx, mock, page, consoleMessages }) => {
  void consoleMessages;
  const responses: { url: string; status: number; type: string }[] = [];
  page.on('response', (r) => responses.push({ url: r.url(), status: r.status(), type: r.headers()['content-type'] ?? '' }));

  await page.goto(nginx.app);
  await expect(page.locator('h1')).toHaveText('HITL Requests');
  await expect(page.locator('.source-badge')).toHaveText('Demo data');
  await expect(page.locator('table.requests tbody tr')).toHaveCount(50);

  const { js, wasm, css, svg } = assets();
  const fromNginx = responses.filter((r) => r.url.startsWith(nginx.url));
  for (const r of fromNginx) {
    expect(new URL(r.url).pathname, 'the page loads nothing outside the sub-path').toMatch(/^\/hitl\//);
    expect(r.status, r.url).toBe(200);
  }
  const byName = (name: string) => fromNginx.find((r) => r.url === `${nginx.app}${name}`);
  expect(byName(wasm)?.type).toBe('application/wasm');
  expect(byName(js)?.type).toMatch(/^(application|text)\/javascript/);
  expect(byName(css)?.type).toMatch(/^text\/css/);
  // The icon is fetched lazily by the browser; check it directly.
  const icon = await fetch(`${nginx.app}${svg}`);
  expect(icon.status).toBe(200);
  expect(icon.headers.get('content-type')).toBe('image/svg+xml');
  // Demo data: nothing reached the API.
  expect(await mock.calls()).toBe(0);
});

test('nginx caches hashed assets for a year, revalidates index.html, gzips, and sends the security headers', async ({ nginx }) => {
  const { js, wasm, css } = assets();
  const get = (p: string) => fetch(`${nginx.app}${p}`, { headers: { 'accept-encoding': 'gzip' } });

  for (const name of [js, wasm, css]) {
    const res = await get(name);
    expect(res.status, name).toBe(200);
    expect(res.headers.get('cache-control'), name).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-encoding'), name).toBe('gzip');
    expect(res.headers.get('vary'), name).toMatch(/Accept-Encoding/i);
  }
  // fetch() decompressed it: the bytes are the real module.
  const module = new Uint8Array(await (await get(wasm)).arrayBuffer());
  expect(module.byteLength).toBe(fs.statSync(path.join(SUBPATH_DIST, wasm)).size);
  expect(Array.from(module.slice(0, 4))).toEqual([0x00, 0x61, 0x73, 0x6d]);

  for (const p of ['', 'index.html', 'some/deeper/path?status=pending']) {
    const res = await get(p);
    expect(res.status, p).toBe(200);
    expect(res.headers.get('content-type'), p).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control'), p).toBe('no-cache');
    expect(res.headers.get('etag') ?? res.headers.get('last-modified'), p).toBeTruthy();
    const html = await res.text();
    expect(html).toContain(`'${SUB_PATH}${js}'`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("connect-src 'self'");
  }
  // The GitHub Pages fallback is part of the build, identical to the app's page.
  expect(fs.readFileSync(path.join(SUBPATH_DIST, '404.html'), 'utf8')).toBe(fs.readFileSync(path.join(SUBPATH_DIST, 'index.html'), 'utf8'));

  // A missing asset is a 404 (never index.html served as a script), and is not cached for a year.
  const missing = await get('hitl-dashboard-0123456789abcdef.js');
  expect(missing.status).toBe(404);
  expect(missing.headers.get('cache-control')).toBeNull();
  // The sub-path without its slash, and the site root, lead to the app; the query survives.
  const bare = await fetch(`${nginx.url}/hitl?status=pending`, { redirect: 'manual' });
  expect(bare.status).toBe(301);
  expect(bare.headers.get('location')).toBe('/hitl/?status=pending');
  const root = await fetch(`${nginx.url}/?limit=20`, { redirect: 'manual' });
  expect(root.status).toBe(302);
  expect(root.headers.get('location')).toBe('/hitl/?limit=20');
  // Nothing else on the host is served.
  expect((await fetch(`${nginx.url}/dist/index.html`)).status).toBe(404);
});

test('nginx sends the precompressed copies: brotli where accepted, else the zopfli gzip', async ({ nginx }) => {
  const { js, wasm, css, svg } = assets();
  const size = (f: string) => fs.statSync(path.join(SUBPATH_DIST, f)).size;
  for (const name of [js, wasm, css, svg]) {
    const original = fs.readFileSync(path.join(SUBPATH_DIST, name));
    for (const [accept, encoding, copy] of [
      ['br, gzip', 'br', `${name}.br`],
      ['gzip, deflate', 'gzip', `${name}.gz`],
    ]) {
      const res = await fetch(`${nginx.app}${name}`, { headers: { 'accept-encoding': accept } });
      expect(res.status, `${name} (${accept})`).toBe(200);
      expect(res.headers.get('content-encoding'), `${name} (${accept})`).toBe(encoding);
      // The file's exact length: the copy on disk was sent (on-the-fly compression is chunked).
      expect(res.headers.get('content-length'), `${name} (${accept})`).toBe(String(size(copy)));
      expect(res.headers.get('vary'), `${name} (${accept})`).toMatch(/Accept-Encoding/i);
      expect(res.headers.get('cache-control'), `${name} (${accept})`).toBe('public, max-age=31536000, immutable');
      // fetch() decompressed it: the bytes are the build's.
      expect(Buffer.from(await res.arrayBuffer()).equals(original), `${name} (${accept}) decompresses to the asset`).toBe(true);
    }
    expect(size(`${name}.br`), name).toBeLessThan(size(`${name}.gz`));
  }
  // A client that accepts neither gets the file itself.
  const plain = await fetch(`${nginx.app}${wasm}`, { headers: { 'accept-encoding': 'identity' } });
  expect(plain.headers.get('content-encoding')).toBeNull();
  expect(plain.headers.get('content-length')).toBe(String(size(wasm)));
  expect(nginx.errorLog()).not.toMatch(/\[(error|crit|alert|emerg)\]/);
});

test('deep links under the sub-path open the view they name, at any depth', async ({ nginx, mock, page, consoleMessages }) => {
  void consoleMessages;
  await page.goto(`${nginx.app}?status=pending&limit=20`);
  await expect(page.locator('h1')).toHaveText('HITL Requests');
  await expect(page.getByLabel('Status', { exact: true })).toHaveValue('pending');
  await expect(page.getByLabel('Page size', { exact: true })).toHaveValue('20');
  const rows = page.locator('table.requests tbody tr');
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeLessThanOrEqual(20);
  for (const badge of await page.locator('tbody .c-status .badge').allTextContents()) expect(badge).toBe('Pending');

  // A path the app never made (an old bookmark, a mistyped link): nginx falls back to the app,
  // which keeps the path and reads the query string.
  await page.goto(`${nginx.app}anything/deeper?status=pending&limit=10`);
  await expect(page.locator('h1')).toHaveText('HITL Requests');
  await expect(page.getByLabel('Status', { exact: true })).toHaveValue('pending');
  await expect(page.getByLabel('Page size', { exact: true })).toHaveValue('10');
  await page.goto(`${nginx.app}anything/deeper?limit=10`);
  await expect(rows).toHaveCount(10);
  await expect(page.locator('.source-badge')).toHaveText('Demo data');
  expect(new URL(page.url()).pathname).toBe('/hitl/anything/deeper');

  // The sub-path without its trailing slash redirects, keeping the view.
  await page.goto(`${nginx.url}/hitl?priority=high`);
  await expect(page).toHaveURL(`${nginx.app}?priority=high`);
  await expect(page.getByLabel('Priority', { exact: true })).toHaveValue('high');
  expect(await mock.calls()).toBe(0);
});

test("with the site's own origin as API base URL, the API is reached through nginx's /v1/ proxy", async ({ nginx, mock, page, dashboard, requests }) => {
  const { requests: dataset } = await mock.dataset();
  await page.goto(nginx.app);
  await expect(page.locator('h1')).toHaveText('HITL Requests');
  await dashboard.connect(KEY, nginx.url);
  await dashboard.expectRowIds(dataset.slice(0, 50).map((r) => r.id));
  await expect(dashboard.range).toHaveText(`1–50 of ${dataset.length}`);

  // Every API call the page made went to its own origin, and the mock (CORS off, so
  // unreachable from the page directly) logged the calls nginx forwarded: at least every one
  // the page got an answer for, at most every one it started (one it aborts early may never
  // get there).
  const apiCalls = () => requests.filter((r) => new URL(r.url()).pathname.startsWith('/v1/'));
  expect(requests.filter((r) => r.url().startsWith(mock.url))).toEqual([]);
  expect(apiCalls().length).toBeGreaterThan(0);
  for (const r of apiCalls()) expect(r.url().startsWith(`${nginx.url}/v1/`), r.url()).toBe(true);
  await expect.poll(async () => {
    const started = apiCalls();
    const answered = (await Promise.all(started.map((r) => r.response()))).filter((r) => r !== null).length;
    const logged = (await mock.stats()).log.length;
    return answered > 0 && answered <= logged && logged <= apiCalls().length;
  }).toBe(true);
  const { log } = await mock.stats();
  expect(log.every((c) => c.auth)).toBe(true);
  expect(log.some((c) => c.method === 'GET' && c.uri.startsWith('/v1/api/requests') && c.status === 200)).toBe(true);

  // The proxy passes the API's answers through unchanged: status, JSON envelope and the
  // rate-limit headers (readable by the page: same origin, no CORS exposure needed). The page
  // is closed first so that only these calls reach the mock.
  await page.goto('about:blank');
  await mock.resetStats();
  const ok = await fetch(`${nginx.url}/v1/api/requests?limit=1&status=pending`, { headers: { authorization: `Bearer ${KEY}` } });
  expect(ok.status).toBe(200);
  expect(ok.headers.get('x-ratelimit-limit')).toBe('100');
  expect(ok.headers.get('cache-control') ?? '').not.toContain('immutable');
  const body = await ok.json();
  expect(body.error).toBe(false);
  const denied = await fetch(`${nginx.url}/v1/api/requests`, { headers: { authorization: 'Bearer wrong' } });
  expect(denied.status).toBe(401);
  expect((await denied.json()).msg).toBe('Invalid or missing API key');
  const anonymous = await fetch(`${nginx.url}/v1/api/requests`);
  expect(anonymous.status).toBe(401);
  // `auth`: the Authorization header reached the mock.
  const { log: direct } = await mock.stats();
  expect(direct.map((c) => [c.uri, c.status, c.auth])).toEqual([
    ['/v1/api/requests?limit=1&status=pending', 200, true],
    ['/v1/api/requests', 401, true],
    ['/v1/api/requests', 401, false],
  ]);
  expect(nginx.errorLog()).not.toMatch(/\[(error|crit|alert|emerg)\]/);
});
