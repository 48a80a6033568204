#!/usr/bin/env bash
# Photograph the demo's status page (after `make demo`) with headless Chromium.
# Usage: bench/screenshot_demo.sh [WIKI_DIR] [OUT.png]
set -euo pipefail
cd "$(dirname "$0")/.."
wiki_dir=${1:-var/wiki}
out=${2:-docs/status-page.png}
command -v chromium >/dev/null || { apt-get update && apt-get install -y --no-install-recommends chromium; }
url=$(.venv/bin/grantbot wiki url --dir "$wiki_dir" 'User:GrantBot/Grant status')
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$profile" \
  --window-size=1500,1100 --screenshot="$out" "$url" 2>/dev/null
echo "wrote $out from $url"
