// Writes the compressed copies a static host serves instead of compressing on every request:
// <asset>.gz (zopfli: a gzip stream every client can read, about 4 % smaller than `gzip -9`)
// and <asset>.br (brotli at its highest quality, about 20 % smaller than gzip -9), next to each of
// Trunk's content-hashed assets (wasm, js, css, svg). nginx serves them with `gzip_static` /
// `brotli_static` (deploy/nginx.conf), mock-api with ServeDir's precompressed variants.
// Each copy is decompressed again and compared with the original before it is kept.
//   node scripts/precompress.mjs <dist-dir>
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';

const dir = process.argv[2];
if (!dir || !fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
  console.error('usage: node scripts/precompress.mjs <dist-dir>');
  process.exit(2);
}

const run = promisify(execFile);
const assets = fs.readdirSync(dir).filter((f) => /\.(wasm|js|css|svg)$/.test(f));

async function gzip(file, raw) {
  // zopfli -c writes the gzip stream to stdout; 15 iterations (its default) take about 4 s for
  // the wasm on these cores.
  const { stdout } = await run('zopfli', ['--i15', '-c', file], { encoding: 'buffer', maxBuffer: 64 << 20 });
  if (!zlib.gunzipSync(stdout).equals(raw)) throw new Error(`${file}.gz does not decompress to the original`);
  return stdout;
}

function brotli(file, raw) {
  const br = zlib.brotliCompressSync(raw, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      [zlib.constants.BROTLI_PARAM_MODE]: /\.wasm$/.test(file) ? zlib.constants.BROTLI_MODE_GENERIC : zlib.constants.BROTLI_MODE_TEXT,
    },
  });
  if (!zlib.brotliDecompressSync(br).equals(raw)) throw new Error(`${file}.br does not decompress to the original`);
  return br;
}

try {
  await run('zopfli', ['-h']).catch((e) => {
    if (e.code === 'ENOENT') throw new Error('zopfli is not installed: run scripts/setup.sh (Debian package zopfli)');
  });
  await Promise.all(
    assets.map(async (name) => {
      const file = path.join(dir, name);
      const raw = fs.readFileSync(file);
      // zopfli runs as a child process while brotli compresses here: both cores busy.
      const gz = gzip(file, raw);
      fs.writeFileSync(`${file}.br`, brotli(file, raw));
      fs.writeFileSync(`${file}.gz`, await gz);
    }),
  );
} catch (e) {
  console.error(`precompress: ${e.message}`);
  process.exit(1);
}
console.log(`precompressed ${assets.length} assets in ${dir} (.gz: zopfli, .br: brotli)`);
