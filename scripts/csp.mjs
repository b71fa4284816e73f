// Adds a Content-Security-Policy to a built index.html. Trunk's loader is one inline module
// script; it is allowed by its SHA-256 hash (computed here, after the build, because its text
// names the hashed asset files), and nothing else inline is. Dev builds (`trunk serve`) do not
// get the policy: Trunk's live-reload script is inline too.
//   node scripts/csp.mjs dist/index.html
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.argv[2];
let html = readFileSync(file, 'utf8');
if (html.includes('http-equiv="Content-Security-Policy"')) process.exit(0);
const scripts = [...html.matchAll(/<script(?: [^>]*)?>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
if (scripts.length === 0) throw new Error(`${file}: no inline loader script found`);
const hashes = scripts.map((s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`);
const policy = [
  "default-src 'self'",
  // The app's own module and wasm (compiling wasm needs 'wasm-unsafe-eval'), plus the loader.
  `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')}`,
  // Styles come from the stylesheet; dynamic sizes are set through the CSSOM, which CSP allows.
  "style-src 'self'",
  // Request images are shown only from https URLs.
  "img-src 'self' https: data:",
  // The API base URL is the user's choice: any https origin, or a local server for development.
  "connect-src 'self' https: http://127.0.0.1:* http://localhost:*",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');
html = html.replace(/<meta charset="utf-8" \/>/, (m) => `${m}\n    <meta http-equiv="Content-Security-Policy" content="${policy}" />`);
if (!html.includes('Content-Security-Policy')) throw new Error(`${file}: no <meta charset> to anchor the policy`);
writeFileSync(file, html);
console.log(`CSP added to ${file} (${hashes.length} inline script hash)`);
