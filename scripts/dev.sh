#!/usr/bin/env bash
# Opens the dashboard for development: installs the dev tools if needed, then `trunk serve`
# (debug build, live reload) on http://127.0.0.1:8080. With no key it shows demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
echo
echo "  Dashboard: http://127.0.0.1:8080  (demo data until you connect a key)"
echo "  Local API: run 'make mock' in another terminal, then connect with"
echo "             API base URL http://127.0.0.1:8787 and API key demo-key"
echo
exec trunk serve "$@"
