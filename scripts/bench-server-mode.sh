#!/usr/bin/env bash
# Server mode against the embedded store, on one leak and this machine: a single-process
# SQLite ingest (no OCR), then the same leak queued in a throwaway PostgreSQL cluster and
# worked off by 1, 2 and 4 `trove worker` processes (each with --workers THREADS), each
# run on a fresh database and a fresh folder of originals; last, 2 workers keeping the
# originals in a bucket of a local S3 server (scripts/s3.sh), each with a cache folder of
# its own. Prints wall times and files/s.
#
#   scripts/bench-server-mode.sh LEAK [THREADS]
#
# Uses the release binary (cargo build --release -p trove-cli). Not part of the tests.
set -euo pipefail
cd "$(dirname "$0")/.."

leak="$(realpath "${1:?usage: $0 LEAK [THREADS]}")"
threads="${2:-2}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/trove-target}"
trove="$CARGO_TARGET_DIR/release/trove"
[ -x "$trove" ] || { echo "build it first: cargo build --release -p trove-cli" >&2; exit 1; }

work="$(mktemp -d)"
chmod 755 "$work"
trap 'scripts/postgres.sh stop "$work/cluster" >/dev/null 2>&1; scripts/s3.sh stop "$work/s3" >/dev/null 2>&1; rm -rf "$work"' EXIT
server="$(scripts/postgres.sh start "$work/cluster" 2>/dev/null)"
base="${server%/postgres}"
files="$(find "$leak" -type f | wc -l)"
bytes="$(du -sb "$leak" | cut -f1)"
echo "leak: $leak ($files files, $((bytes / 1048576)) MB); $(nproc) cores; $threads threads a worker"

now() { date +%s.%N; }
# Seconds from $1 to $2, to a tenth.
elapsed() { python3 -c "print(f'{$2 - $1:.1f}')"; }
rate() { python3 -c "print(round($files / $1))"; }

# Runs "$@" and prints its wall time in seconds.
seconds() {
    local start
    start="$(now)"
    "$@" >/dev/null
    elapsed "$start" "$(now)"
}

sqlite_time="$(seconds "$trove" ingest "$leak" --store "$work/sqlite-store" --ocr never --workers "$threads" || true)"
echo "SQLite, one process:      ${sqlite_time} s  ($(rate "$sqlite_time") files/s; includes the records stage)"

for workers in 1 2 4; do
    database="$base/bench_$workers"
    psql -q "$server" -c "CREATE DATABASE bench_$workers" >/dev/null
    blobs="$work/blobs-$workers"
    queue_time="$(seconds "$trove" ingest "$leak" --database "$database" --blobs "$blobs")"
    start="$(now)"
    for n in $(seq "$workers"); do
        "$trove" worker --database "$database" --blobs "$blobs" --workers "$threads" \
            --exit-when-idle --name "bench-$n" >/dev/null 2>&1 &
    done
    wait
    work_time="$(elapsed "$start" "$(now)")"
    echo "PostgreSQL, $workers worker(s):  queue ${queue_time} s, work ${work_time} s  ($(rate "$work_time") files/s)"
done

eval "$(scripts/s3.sh start "$work/s3")"
mkdir -p "$TROVE_TEST_S3_ROOT/bench"
export AWS_ENDPOINT="$TROVE_TEST_S3_ENDPOINT" AWS_ACCESS_KEY_ID="$TROVE_TEST_S3_ACCESS_KEY" \
    AWS_SECRET_ACCESS_KEY="$TROVE_TEST_S3_SECRET_KEY" AWS_REGION=us-east-1 AWS_ALLOW_HTTP=true
database="$base/bench_s3"
psql -q "$server" -c "CREATE DATABASE bench_s3" >/dev/null
queue_time="$(seconds "$trove" ingest "$leak" --database "$database" --blobs "$work/queue-cache")"
start="$(now)"
for n in 1 2; do
    "$trove" worker --database "$database" --blobs "$work/s3-cache-$n" --originals s3://bench/originals \
        --workers "$threads" --exit-when-idle --name "bench-s3-$n" >/dev/null 2>&1 &
done
wait
work_time="$(elapsed "$start" "$(now)")"
echo "PostgreSQL, 2 workers, originals in S3 (s3s-fs):  queue ${queue_time} s, work ${work_time} s  ($(rate "$work_time") files/s; $(find "$TROVE_TEST_S3_ROOT/bench" -type f | wc -l) objects)"
