#!/usr/bin/env bash
# Idempotent set-up: installs the toolchain the README lists, skipping what is
# already present at the right version. Re-running it with everything installed takes seconds.
#   scripts/setup.sh          everything (build + test tools)
#   scripts/setup.sh --dev    only what `make dev` needs (wasm target, Trunk, wasm-bindgen CLI)
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130   # must equal the exact pin in Cargo.toml
MODE=${1:-all}

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

if ! command -v cargo >/dev/null; then
  echo "Rust is not installed: install rustup (https://rustup.rs), then re-run." >&2
  exit 1
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for component in clippy rustfmt; do
  if ! rustup component list --installed | grep -q "^$component"; then
    say "adding rustup component $component"
    rustup component add "$component"
  fi
done

if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (about 10 minutes on 2 cores)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3 minutes)"
  # Not --locked: a locked dependency version is not served by the registry here.
  cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" --force
fi

[ "$MODE" = "--dev" ] && { say "dev tools ready"; exit 0; }

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  say "installing Debian's chromium and chromium-driver"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# Debian's nginx: e2e/tests/deploy.spec.ts runs the real server with deploy/nginx.conf (as this
# user, on a free port, with its own config; the package's system service is not used). Not on
# a regular user's PATH (/usr/sbin), hence the second check. Note: outside containers (where
# policy-rc.d does not forbid it) the package starts its default site on port 80.
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  say "installing Debian's nginx"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx >/dev/null
fi

# zopfli: scripts/build-dist.sh writes the .gz copies a static host serves (smaller than gzip -9).
# nginx's brotli_static module: deploy/nginx.conf serves the .br copies with it.
missing=()
for pkg in zopfli libnginx-mod-http-brotli-static; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian's ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# npm packages: wasm-opt (binaryen 132) for release builds, Playwright + axe-core for e2e.
# Playwright must never download a browser: we use /usr/bin/chromium.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
stamp=node_modules/.setup-stamp
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi
if [ "$(node_modules/.bin/wasm-opt --version 2>/dev/null | awk '{print $3}')" != "132" ]; then
  echo "node_modules/.bin/wasm-opt is not binaryen 132" >&2
  exit 1
fi
say "all tools ready"
