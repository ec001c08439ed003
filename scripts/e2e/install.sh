#!/usr/bin/env bash
# Installs what the browser tests need: Debian's Chromium, playwright-core (which drives
# it; it never downloads a browser of its own) and axe-core (the accessibility check) into
# a folder outside the clone. Prints the folder holding node_modules.
set -euo pipefail
dir="${TROVE_E2E_DIR:-$HOME/.cache/trove-e2e}"
playwright_version="1.65.1"
axe_version="4.10.3"

if ! command -v chromium >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "installing Debian's chromium for the browser tests…" >&2
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get install -y -qq --no-install-recommends chromium >&2 \
        || { $sudo apt-get update -qq >&2 && $sudo apt-get install -y -qq --no-install-recommends chromium >&2; }
fi
if [ ! -f "$dir/node_modules/playwright-core/package.json" ] \
    || ! grep -q "\"version\": \"$playwright_version\"" "$dir/node_modules/playwright-core/package.json"; then
    mkdir -p "$dir"
    echo "installing playwright-core $playwright_version into $dir…" >&2
    npm install --silent --no-audit --no-fund --prefix "$dir" "playwright-core@$playwright_version" >&2
fi
if [ ! -f "$dir/node_modules/axe-core/package.json" ] \
    || ! grep -q "\"version\": \"$axe_version\"" "$dir/node_modules/axe-core/package.json"; then
    mkdir -p "$dir"
    echo "installing axe-core $axe_version into $dir…" >&2
    npm install --silent --no-audit --no-fund --prefix "$dir" "axe-core@$axe_version" >&2
fi
echo "$dir"
