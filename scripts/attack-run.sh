#!/usr/bin/env bash
# A scripted attack on a workbench served on loopback, bounded in time and size, that
# checks the hardening holds and prints the figures:
#   1. 20 parallel wrong logins for one name: exactly 5 weighed, then locked out;
#   2. 500 record pages read with a viewer's API token: 500 audit events, and the
#      audit page marks the burst as bulk reading;
#   3. 64 parallel previews of 50-megapixel images: the server's peak RSS under 512 MiB;
#   4. a regular-expression query: refused;
#   5. probing other cases, the admin page and a form without its CSRF token: refused,
#      and every refusal audited.
# Needs curl, pango-view and pdftoppm (scripts/test.sh installs the last two). A check,
# not a test: run it by hand and read the figures.
#   scripts/attack-run.sh [PORT]
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-18181}"
base="http://127.0.0.1:$port"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/trove-target}"
for tool in curl pango-view pdftoppm; do
    command -v "$tool" >/dev/null || { echo "attack-run: $tool is missing (scripts/test.sh installs it)" >&2; exit 1; }
done
cargo build --release --quiet -p trove-cli
trove="$CARGO_TARGET_DIR/release/trove"

work="$(mktemp -d)"
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
failed=0
check() { # check DESCRIPTION CONDITION...
    local what="$1"; shift
    if "$@"; then echo "  ok    $what"; else echo "  FAIL  $what"; failed=1; fi
}

echo "== setting up: a 600-person demo leak with eight 50-megapixel photos"
"$trove" synth --out "$work/demo" --people 600 --seed 14 >/dev/null
mkdir -p "$work/demo/leak/scans"
for i in 1 2 3 4 5 6 7 8; do
    echo "scan $i of a register page" | timeout 30 pango-view --no-display --output="$work/page$i.pdf" /dev/stdin
    # 8660 × 5774 = 50.0 megapixels.
    timeout 60 pdftoppm -jpeg -scale-to-x 8660 -scale-to-y 5774 -singlefile "$work/page$i.pdf" "$work/demo/leak/scans/scan-$i"
done
"$trove" ingest "$work/demo/leak" --store "$work/store" >/dev/null 2>&1 || [ $? -eq 2 ]
server="$work/server"
"$trove" case add demo --case-store "$work/store" --server "$server" >/dev/null
printf 'attack run password one\n' > "$work/password"
"$trove" user add root --role admin --password-file "$work/password" --server "$server" >/dev/null
"$trove" user add vera --role viewer --case demo --password-file "$work/password" --server "$server" >/dev/null
token="$("$trove" user token vera --label attack-run --server "$server" 2>/dev/null)"
root_token="$("$trove" user token root --label attack-run --server "$server" 2>/dev/null)"
"$trove" serve --listen "127.0.0.1:$port" --server "$server" >"$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do curl -s -o /dev/null "$base/login" && break; sleep 0.1; done
count() { "$trove" audit list --server "$server" --count "$@"; }
api() { curl -s --max-time 60 -H "Authorization: Bearer $token" "$base$1"; }

echo "== 1. twenty parallel wrong logins for vera"
jar="$work/visitor.txt"
csrf="$(curl -s -c "$jar" "$base/login" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')"
seq 20 | xargs -P 20 -I{} curl -s -o /dev/null -w '%{http_code}\n' --max-time 60 -b "$jar" \
    --data-urlencode "csrf=$csrf" --data-urlencode "name=vera" --data-urlencode "password=guess {}" \
    "$base/login" > "$work/logins.txt"
# A guess whose password was weighed is audited as "wrong user name or password"; the
# rest were refused before any weighing.
weighed="$("$trove" audit list --server "$server" --action login_failed --json | grep -c 'wrong user name or password' || true)"
refused="$(grep -c '^429$' "$work/logins.txt" || true)"
echo "  $weighed weighed, $refused answered 429 (the fifth weighed among them); lock-outs audited: $(count --action lockout)"
check "exactly 5 of 20 parallel guesses weighed" test "$weighed" -eq 5
check "every guess after the fifth refused unweighed" test "$refused" -eq 16

echo "== 2. 500 record pages read with vera's API token"
: > "$work/records.txt"
for page in $(seq 1 10); do
    api "/api/cases/demo/records?page=$page" | { grep -o '"link":"/cases/demo/records/[^"]*"' || true; } \
        | sed 's/"link":"//; s/"$//' >> "$work/records.txt"
done
check "500 records to read (found $(wc -l < "$work/records.txt"))" test "$(wc -l < "$work/records.txt")" -ge 500
head -500 "$work/records.txt" > "$work/500.txt"
started=$(date +%s%N)
sed 's#^#/api#' "$work/500.txt" | xargs -P 8 -I{} curl -s -o /dev/null -w '%{http_code}\n' --max-time 60 \
    -H "Authorization: Bearer $token" "$base{}" > "$work/reads.txt"
millis=$(( ($(date +%s%N) - started) / 1000000 ))
read_events="$(count --action view_record --actor vera)"
echo "  $(grep -c '^200$' "$work/reads.txt") pages read in ${millis} ms; view_record events by vera: $read_events"
check "500 record reads, 500 audit events" test "$read_events" -eq 500
# The admin reads the page with a token: this address has used up its login attempts.
curl -s -H "Authorization: Bearer $root_token" "$base/admin/audit" > "$work/audit.html"
check "the audit page marks vera's burst as bulk reading" grep -q '<strong>bulk reading</strong>' "$work/audit.html"
{ grep -o '<title>[^<]*UTC: [0-9]* reads</title>' "$work/audit.html" || true; } \
    | sed 's/<[/]*title>//g' | sort -t: -k3 -n | tail -1 | sed 's/^/  busiest hour: /'

echo "== 3. 64 parallel previews of 50-megapixel photos"
api "/api/cases/demo/search?q=path:scans" | { grep -o '"blob":"[0-9a-f]*"' || true; } | sed 's/"blob":"//; s/"$//' | sort -u > "$work/scans.txt"
echo "  $(wc -l < "$work/scans.txt") photos of 50 megapixels found"
rss_before="$(awk '/VmHWM/ {print $2}' "/proc/$server_pid/status")"
started=$(date +%s%N)
for _ in 1 2 3 4 5 6 7 8; do cat "$work/scans.txt"; done | head -64 \
    | xargs -P 64 -I{} curl -s -o /dev/null -w '%{http_code}\n' --max-time 120 \
        -H "Authorization: Bearer $token" "$base/cases/demo/documents/{}/preview.png" > "$work/previews.txt"
millis=$(( ($(date +%s%N) - started) / 1000000 ))
peak_kib="$(awk '/VmHWM/ {print $2}' "/proc/$server_pid/status")"
echo "  $(grep -c '^200$' "$work/previews.txt") of 64 previews in ${millis} ms; server peak RSS $((rss_before / 1024)) MiB before, $((peak_kib / 1024)) MiB after"
check "every preview drawn" test "$(grep -c '^200$' "$work/previews.txt")" -eq 64
check "peak RSS under 512 MiB" test "$peak_kib" -lt $((512 * 1024))

echo "== 4. a regular-expression query"
status="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$base/api/cases/demo/search?q=text:/.*a.*/")"
check "refused with 400 (got $status)" test "$status" -eq 400

echo "== 5. probing, and a form without its CSRF token"
refused_before="$(count --action refused)"
for path in /api/cases/other-case/records /cases/other-case /api/cases/demo/persons/nobody /admin/audit; do
    curl -s -o /dev/null -H "Authorization: Bearer $token" "$base$path"
done
curl -s -o /dev/null -b "$jar" --data "list=x&row=1&person=x&decision=accept" "$base/cases/demo/review"
refused_after="$(count --action refused)"
echo "  refused events: $refused_before before, $refused_after after (the regex query above was one)"
check "the regex query and five more refusals audited" \
    test "$((refused_after - refused_before))" -eq 5 -a "$refused_before" -ge 1
"$trove" audit list --server "$server" --action refused --limit 6 | sed 's/^/  /'

if [ "$failed" -ne 0 ]; then echo "attack run: some checks FAILED"; exit 1; fi
echo "attack run: every check held"
