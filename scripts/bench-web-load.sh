#!/usr/bin/env bash
# Load benchmark of the web workbench: 50 concurrent users searching the 20,000-person
# demo case through the JSON API for 30 seconds, with wrk (Debian's package) on loopback,
# 406 different queries in turn (fixed words, people's names, ID numbers).
# Prints wrk's latency distribution (p50, p99) and any errors. A benchmark, not a test.
#   scripts/bench-web-load.sh [PEOPLE] [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
people="${1:-20000}"; seconds="${2:-30}"; connections="${3:-50}"
work="${TROVE_BENCH_CACHE:-$HOME/.cache/trove-bench}/web-load-$people"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/trove-target}"

if ! command -v wrk >/dev/null 2>&1; then
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk
fi
cargo build --release --quiet
trove="$CARGO_TARGET_DIR/release/trove"

mkdir -p "$work"
if [ ! -f "$work/store/trove.sqlite" ]; then
    "$trove" synth --out "$work/demo" --people "$people" --seed 2022
    "$trove" ingest "$work/demo/leak" --store "$work/store" >/dev/null || [ $? -eq 2 ]
fi
rm -rf "$work/server"
"$trove" case add demo --case-store "$work/store" --server "$work/server" >/dev/null
printf 'load benchmark password\n' > "$work/password"
"$trove" user add load --role viewer --case demo --password-file "$work/password" --server "$work/server" >/dev/null
token="$("$trove" user token load --label load-bench --server "$work/server" 2>/dev/null)"

port=18080
"$trove" serve --listen "127.0.0.1:$port" --server "$work/server" >/dev/null &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$port/login" && break
    sleep 0.1
done
# One request first, so the case is opened before the clock starts.
curl -s -o /dev/null -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/cases/demo/search?q=x"

# The queries: the six fixed ones, then (with python3) 300 names and 100 ID numbers of
# people the leak lists, so that most searches differ, as they would across a newsroom.
queries="$work/queries.txt"
printf '%s\n' '教育' '"shoot to kill"' '培训 AND type:docx' '名单' 'camera:Canon' '稳定*' > "$queries"
if command -v python3 >/dev/null 2>&1; then
    python3 - "$work/demo/ground-truth.json" >> "$queries" <<'PY'
import json, sys
people = json.load(open(sys.argv[1]))["persons"]
for person in people[::max(1, len(people) // 300)][:300]:
    print(f'"{person["name"]}"')
for person in people[7::max(1, len(people) // 100)][:100]:
    print(person["id_number"])
PY
fi
echo "$(wc -l < "$queries") queries, in turn"

wrk -t2 -c"$connections" -d"${seconds}s" --latency \
    -H "Authorization: Bearer $token" \
    -s scripts/bench/web-load.lua "http://127.0.0.1:$port" -- "$queries"
