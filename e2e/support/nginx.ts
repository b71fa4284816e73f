// Runs Debian's real nginx (installed by scripts/setup.sh) with deploy/nginx.conf, as the
// current user, on a free port of 127.0.0.1, in front of a mock-api; and builds the sub-path
// dist it serves. Everything nginx writes (pid, logs, temp files) goes to a temp folder that
// stop() removes; nginx runs in the foreground (`daemon off`) as a child of the test, and stop()
// (or the test process exiting) ends it and its workers, so no process is left behind.
import { spawn, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from './mock';

export const NGINX_BIN = process.env.NGINX_BIN ?? '/usr/sbin/nginx';
export const TEMPLATE = path.join(ROOT, 'deploy', 'nginx.conf');
/** The sub-path deploy/nginx.conf serves the app under (= the build's --public-url). */
export const SUB_PATH = '/hitl/';
/** The sub-path build: its own folder, so it never disturbs dist/ or anyone else's build. */
export const SUBPATH_DIST = path.join(ROOT, 'dist-subpath');

/** Replaces `from` (which must occur exactly once) in `text`: the template is the real file,
 *  so a changed line makes the test fail loudly instead of testing something else. */
function replaceOnce(text: string, from: string | RegExp, to: string): string {
  const re = typeof from === 'string' ? new RegExp(from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g') : new RegExp(from.source, from.flags.replace('g', '') + 'g');
  const n = (text.match(re) ?? []).length;
  if (n !== 1) throw new Error(`deploy/nginx.conf: expected exactly one ${re} (found ${n})`);
  return text.replace(re, () => to);
}

/** deploy/nginx.conf with only the listen, root and upstream lines changed. */
export function siteConfig(opts: { port: number; root: string; upstream: string }): string {
  let conf = fs.readFileSync(TEMPLATE, 'utf8');
  conf = replaceOnce(conf, /^\s*listen 80;.*$/m, `    listen 127.0.0.1:${opts.port};`);
  conf = replaceOnce(conf, /^\s*listen \[::\]:80;.*$/m, '');
  conf = replaceOnce(conf, /^\s*root \/var\/www;.*$/m, `    root ${opts.root};`);
  conf = replaceOnce(conf, 'proxy_pass https://api.hitl.sh/v1/;', `proxy_pass ${opts.upstream}/v1/;`);
  return conf;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/**
 * Builds the sub-path dist (`DIST_DIR=dist-subpath scripts/build-dist.sh --public-url /hitl/`)
 * unless it is already there and at least as new as dist/index.html (the build `make test` has
 * just made). The Rust build is shared with dist/, so this costs only wasm-bindgen + wasm-opt
 * when dist/ is current.
 */
export async function ensureSubpathBuild(): Promise<void> {
  const index = path.join(SUBPATH_DIST, 'index.html');
  const mainIndex = path.join(ROOT, 'dist', 'index.html');
  const mtime = (f: string) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : -1);
  const fresh =
    mtime(index) >= 0 &&
    mtime(index) >= mtime(mainIndex) &&
    fs.readFileSync(index, 'utf8').includes(`"${SUB_PATH}`) &&
    fs.existsSync(path.join(SUBPATH_DIST, '404.html')) &&
    // The precompressed copies (a build from before scripts/precompress.mjs has none).
    fs.readdirSync(SUBPATH_DIST).some((f) => f.endsWith('.wasm.br'));
  if (fresh) return;
  const env = { ...process.env, DIST_DIR: path.relative(ROOT, SUBPATH_DIST) };
  const { code, output } = await run(path.join(ROOT, 'scripts', 'build-dist.sh'), ['--public-url', SUB_PATH], { env });
  if (code !== 0 || !fs.existsSync(index)) {
    throw new Error(`sub-path build failed (exit ${code}):\n${output.split('\n').slice(-40).join('\n')}`);
  }
}

/** The direct children of `pid` (nginx's workers), from Linux's /proc. */
function childPids(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export class Nginx {
  private constructor(private child: ChildProcess, readonly url: string, private dir: string) {}

  /** The app's URL under the sub-path, e.g. http://127.0.0.1:PORT/hitl/ */
  get app(): string {
    return `${this.url}${SUB_PATH}`;
  }

  /** Starts nginx serving `dist` under /hitl/ and proxying /v1/ to `upstream` (http://host:port).
   *  The free port is found before nginx binds it; if something else takes it in between,
   *  nginx fails to bind and this tries another port (three attempts). */
  static async start(opts: { dist: string; upstream: string }): Promise<Nginx> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await Nginx.startOn(await freePort(), opts);
      } catch (e) {
        if (attempt >= 3 || !/Address already in use/.test(String(e))) throw e;
      }
    }
  }

  private static async startOn(port: number, opts: { dist: string; upstream: string }): Promise<Nginx> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitl-nginx-'));
    try {
      // <root>/hitl → the build, as on a server where the folder name is the sub-path.
      const www = path.join(dir, 'www');
      fs.mkdirSync(www);
      fs.symlinkSync(opts.dist, path.join(www, SUB_PATH.replace(/\//g, '')));
      // Debian's module snippets load `modules/<name>.so` relative to the prefix (-p dir).
      fs.symlinkSync('/usr/share/nginx/modules', path.join(dir, 'modules'));
      fs.writeFileSync(path.join(dir, 'site.conf'), siteConfig({ port, root: www, upstream: opts.upstream }));
      const tmp = (name: string) => path.join(dir, name);
      // The main config a distribution would provide, with every path under `dir`. Running as
      // root (containers), workers would drop to `nobody` and could not read the temp folder.
      const main = [
        'daemon off;',
        'master_process on;',
        'worker_processes 1;',
        process.getuid?.() === 0 ? 'user root;' : '',
        `pid ${tmp('nginx.pid')};`,
        `error_log ${tmp('error.log')} warn;`,
        // As Debian's own nginx.conf does: the dynamic modules installed as packages
        // (brotli_static, which deploy/nginx.conf uses).
        'include /etc/nginx/modules-enabled/*.conf;',
        'events { worker_connections 64; }',
        'http {',
        '    include /etc/nginx/mime.types;',
        '    default_type application/octet-stream;',
        '    sendfile on;',
        `    access_log ${tmp('access.log')};`,
        `    client_body_temp_path ${tmp('client_body')};`,
        `    proxy_temp_path ${tmp('proxy')};`,
        `    fastcgi_temp_path ${tmp('fastcgi')};`,
        `    uwsgi_temp_path ${tmp('uwsgi')};`,
        `    scgi_temp_path ${tmp('scgi')};`,
        `    include ${tmp('site.conf')};`,
        '}',
        '',
      ].join('\n');
      const conf = tmp('nginx.conf');
      fs.writeFileSync(conf, main);
      const args = ['-p', dir, '-c', conf, '-e', tmp('error.log')];
      const check = await run(NGINX_BIN, [...args, '-t']);
      if (check.code !== 0) throw new Error(`nginx -t failed:\n${check.output}`);

      const child = spawn(NGINX_BIN, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const url = `http://127.0.0.1:${port}`;
      const nginx = new Nginx(child, url, dir);
      nginx.watchParent();
      const deadline = Date.now() + 10_000;
      for (;;) {
        if (child.exitCode !== null) {
          const log = fs.existsSync(tmp('error.log')) ? fs.readFileSync(tmp('error.log'), 'utf8') : '';
          throw new Error(`nginx exited with ${child.exitCode}:\n${stderr}${log}`);
        }
        try {
          const res = await fetch(`${url}/__nginx_ready`);
          await res.arrayBuffer();
          // Any answer (a 404) from nginx means it listens — unless another server holds the
          // port and nginx is about to exit on the failed bind.
          if (res.headers.get('server') === 'nginx' && res.status === 404) {
            await new Promise((r) => setTimeout(r, 50));
            if (child.exitCode === null) return nginx;
          }
          throw new Error('not ready');
        } catch {
          if (Date.now() > deadline) {
            await nginx.stop();
            throw new Error('nginx did not start listening within 10 s');
          }
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    } catch (e) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }

  /** nginx's error log so far (for assertion messages). */
  errorLog(): string {
    const f = path.join(this.dir, 'error.log');
    return fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '';
  }

  /** Fast stop (SIGTERM: the master stops its workers, then exits); if it has not exited after
   *  5 s, SIGKILL for the master and its workers. Then removes the temp folder. */
  async stop(): Promise<void> {
    process.off('exit', this.onExit);
    const child = this.child;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        for (const pid of childPids(child.pid!)) {
          try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
        }
        child.kill('SIGKILL');
      }, 5_000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** If the test process itself exits without stop(), nginx must not outlive it. */
  private onExit = () => {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
  };

  private watchParent(): void {
    process.once('exit', this.onExit);
  }
}
